import { randomBytes } from 'crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random [A-Za-z0-9]{length} (default 32, the maximum nonceStr length WeChat accepts). */
export function generateNonce(length = 32): string {
  const bytes = randomBytes(length);
  let out = '';
  // The modulo bias is irrelevant: a nonce only has to be unique, not uniform.
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] % ALPHABET.length];
  return out;
}
