/**
 * AEAD_AES_256_GCM as WeChat uses it: key = the 32-byte APIv3 key, nonce = the 12-char nonce string's
 * bytes, AAD = associated_data, ciphertext = base64(ciphertext || 16-byte tag).
 */
import { createCipheriv, createDecipheriv } from 'crypto';
import { ERROR_CODES, WxPayError } from './errors';
import { generateNonce } from './nonce';

export const AEAD_ALGORITHM = 'AEAD_AES_256_GCM';
const TAG_LENGTH = 16;

export interface EncryptedResource {
  algorithm?: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string | null;
  original_type?: string;
}

export function apiV3KeyBytes(apiV3Key: string | Buffer): Buffer {
  const key = typeof apiV3Key === 'string' ? Buffer.from(apiV3Key, 'utf8') : apiV3Key;
  if (!Buffer.isBuffer(key) || key.length !== 32) {
    // Report only the length: the key itself is a secret.
    const got = Buffer.isBuffer(key) ? `${key.length} bytes` : typeof apiV3Key;
    throw new WxPayError(ERROR_CODES.APIV3_KEY_INVALID, `the APIv3 key must be exactly 32 bytes, got ${got}`);
  }
  return key;
}

export function decryptResource(resource: EncryptedResource, apiV3Key: string | Buffer): string {
  const key = apiV3KeyBytes(apiV3Key);
  if (!resource || typeof resource.ciphertext !== 'string' || typeof resource.nonce !== 'string') {
    throw new WxPayError(ERROR_CODES.MALFORMED_MESSAGE, 'resource must have string ciphertext and nonce');
  }
  if (resource.algorithm !== undefined && resource.algorithm !== AEAD_ALGORITHM) {
    throw new WxPayError(ERROR_CODES.UNSUPPORTED_ALGORITHM, `unsupported resource algorithm ${resource.algorithm}`);
  }
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length < TAG_LENGTH) throw decryptFailed('ciphertext shorter than the GCM tag');
  const nonce = Buffer.from(resource.nonce, 'utf8');
  if (nonce.length === 0) throw decryptFailed('empty nonce');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_LENGTH));
    // Whole plaintext as one Buffer, decoded once: cheaper than update()/final() with an output
    // encoding (that goes through a StringDecoder), and a multi-byte character cannot be split since
    // the bytes are decoded together. GCM's final() yields nothing; concat only if it ever does.
    const head = decipher.update(data.subarray(0, data.length - TAG_LENGTH));
    const tail = decipher.final();
    return (tail.length === 0 ? head : Buffer.concat([head, tail])).toString('utf8');
  } catch (cause) {
    throw decryptFailed('authentication failed (wrong APIv3 key, nonce, associated_data, or tampered ciphertext)', cause);
  }
}

export interface EncryptOptions {
  /** 12 characters; random by default. */
  nonce?: string;
  associated_data?: string;
}

/** Inverse of decryptResource, for the simulator and tests. */
export function encryptResource(
  plaintext: string,
  apiV3Key: string | Buffer,
  options: EncryptOptions = {},
): { algorithm: typeof AEAD_ALGORITHM; ciphertext: string; nonce: string; associated_data: string } {
  const key = apiV3KeyBytes(apiV3Key);
  const nonce = options.nonce ?? generateNonce(12);
  const aad = options.associated_data ?? '';
  const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(nonce, 'utf8'), { authTagLength: TAG_LENGTH });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: AEAD_ALGORITHM, ciphertext: body.toString('base64'), nonce, associated_data: aad };
}

function decryptFailed(why: string, cause?: unknown): WxPayError {
  return new WxPayError(ERROR_CODES.DECRYPT_FAILED, `AEAD_AES_256_GCM decrypt failed: ${why}`, { cause });
}
