// A minimal self-signed X.509 v3 certificate builder (DER by hand, no dependency).
// Why: certificate-mode merchants download the platform certificate from /v3/certificates and
// their client parses it as a real certificate (node:crypto X509Certificate / createPublicKey);
// serving a bare public key would let a client that never parses certificates pass locally.
import { sign, type KeyObject } from 'node:crypto';

function length(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  let hex = len.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return Buffer.concat([Buffer.from([0x80 | bytes.length]), bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const nul = (): Buffer => Buffer.from([0x05, 0x00]);

function integer(bytes: Buffer): Buffer {
  // DER integers are signed: a leading 0x00 keeps a high-bit value positive.
  return tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out: number[] = [40 * a + b];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  const year = d.getUTCFullYear();
  // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
  return year < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

function name(commonName: string): Buffer {
  const rdn = (type: string, value: string): Buffer => set(seq(oid(type), utf8(value)));
  return seq(rdn('2.5.4.6', 'CN'), rdn('2.5.4.10', 'Tenpay.com (simulator)'), rdn('2.5.4.3', commonName));
}

export interface CertificateInput {
  /** Hex serial number (upper or lower case); its first byte must be below 0x80 and non-zero. */
  serial: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  commonName?: string;
}

/** Builds a self-signed sha256WithRSAEncryption certificate and returns it as PEM. */
export function buildSelfSignedCertificate(input: CertificateInput): string {
  const sigAlg = seq(oid('1.2.840.113549.1.1.11'), nul());
  const subject = name(input.commonName ?? 'Tenpay.com simulated platform certificate');
  const spki = input.publicKey.export({ type: 'spki', format: 'der' });
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // [0] EXPLICIT version v3
    integer(Buffer.from(input.serial, 'hex')),
    sigAlg,
    subject,
    seq(time(input.notBefore), time(input.notAfter)),
    subject,
    spki,
  );
  const signature = sign('sha256', tbs, input.privateKey);
  const der = seq(tbs, sigAlg, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
