/**
 * RSA-OAEP (SHA-1, MGF1-SHA1) for sensitive request fields, under the platform certificate / WeChat Pay
 * public key; the request must then carry that key's serial in `Wechatpay-Serial`.
 */
import { constants, privateDecrypt, publicEncrypt } from 'crypto';
import { ERROR_CODES, WxPayError } from './errors';
import { PrivateKeyInput, PublicKeyInput, toPrivateKey, toPublicKey } from './keys';

export function rsaOaepEncrypt(plaintext: string, publicKey: PublicKeyInput): string {
  if (typeof plaintext !== 'string') throw new WxPayError(ERROR_CODES.INVALID_ARGUMENT, 'plaintext must be a string');
  return publicEncrypt(
    { key: toPublicKey(publicKey), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(plaintext, 'utf8'),
  ).toString('base64');
}

/** Inverse, for the simulator and tests (WeChat's side, or a merchant decrypting fields in responses). */
export function rsaOaepDecrypt(ciphertextBase64: string, privateKey: PrivateKeyInput): string {
  try {
    return privateDecrypt(
      { key: toPrivateKey(privateKey), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(ciphertextBase64, 'base64'),
    ).toString('utf8');
  } catch (cause) {
    if (cause instanceof WxPayError) throw cause;
    throw new WxPayError(ERROR_CODES.DECRYPT_FAILED, 'RSA-OAEP decrypt failed (wrong key or corrupted ciphertext)', { cause });
  }
}
