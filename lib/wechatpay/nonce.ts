import { randomFillSync } from 'crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// Random bytes are drawn in blocks: a randomBytes() call per nonce measurably slows the signing hot path
// (bench-wechatpay). The bytes are still CSPRNG output, each used once.
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** Random [A-Za-z0-9]{length} (default 32, the maximum nonceStr length WeChat accepts). */
export function generateNonce(length = 32): string {
  if (!Number.isInteger(length) || length < 1 || length > 256) throw new RangeError('nonce length must be an integer in 1..256');
  if (offset + length > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  let out = '';
  // The modulo bias is irrelevant: a nonce only has to be unique, not uniform.
  for (let i = 0; i < length; i++) out += ALPHABET[pool[offset + i] % ALPHABET.length];
  offset += length;
  return out;
}
