/**
 * An independent AES-256-GCM (NIST SP 800-38D) for known-answer checks: only the AES block function comes
 * from Node (aes-256-ecb, one block at a time); CTR, GHASH and the tag are computed here from the spec.
 */
import { createCipheriv } from 'crypto';

function aesBlock(key: Buffer, block: Buffer): Buffer {
  const c = createCipheriv('aes-256-ecb', key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

const toBig = (b: Buffer): bigint => BigInt('0x' + (b.toString('hex') || '0'));
const toBuf = (n: bigint): Buffer => Buffer.from(n.toString(16).padStart(32, '0'), 'hex');
const R = 0xe1n << 120n;

function gfMul(x: bigint, y: bigint): bigint {
  let z = 0n;
  let v = y;
  for (let i = 127n; i >= 0n; i--) {
    if ((x >> i) & 1n) z ^= v;
    v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
  }
  return z;
}

function ghash(h: bigint, aad: Buffer, ct: Buffer): bigint {
  let x = 0n;
  const absorb = (data: Buffer): void => {
    for (let i = 0; i < data.length; i += 16) {
      const block = Buffer.alloc(16);
      data.copy(block, 0, i, Math.min(i + 16, data.length));
      x = gfMul(x ^ toBig(block), h);
    }
  };
  absorb(aad);
  absorb(ct);
  const lens = Buffer.alloc(16);
  lens.writeBigUInt64BE(BigInt(aad.length * 8), 0);
  lens.writeBigUInt64BE(BigInt(ct.length * 8), 8);
  return gfMul(x ^ toBig(lens), h);
}

/** Returns ciphertext || tag for a 96-bit IV. */
export function referenceGcmEncrypt(key: Buffer, iv: Buffer, aad: Buffer, plaintext: Buffer): Buffer {
  if (iv.length !== 12) throw new Error('reference implementation supports 96-bit IVs only');
  const h = toBig(aesBlock(key, Buffer.alloc(16)));
  const j0 = Buffer.concat([iv, Buffer.from([0, 0, 0, 1])]);
  const ct = Buffer.alloc(plaintext.length);
  const counter = Buffer.from(j0);
  for (let i = 0; i < plaintext.length; i += 16) {
    counter.writeUInt32BE((counter.readUInt32BE(12) + 1) >>> 0, 12);
    const ks = aesBlock(key, counter);
    for (let j = i; j < Math.min(i + 16, plaintext.length); j++) ct[j] = plaintext[j] ^ ks[j - i];
  }
  const s = ghash(h, aad, ct);
  const tag = toBuf(toBig(aesBlock(key, j0)) ^ s);
  return Buffer.concat([ct, tag]);
}
