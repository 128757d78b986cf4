import { decryptResource, encryptResource, ERROR_CODES } from '../../lib/wechatpay';
import { API_V3_KEY } from './fixtures';
import { referenceGcmEncrypt } from './gcm-reference';

const plaintext = JSON.stringify({ out_trade_no: 'T1', amount: { total: 100 }, note: '中文✓'.repeat(7) });

describe('AEAD_AES_256_GCM', () => {
  it('encrypts exactly like an independent GCM implementation (known answer)', () => {
    const ours = encryptResource(plaintext, API_V3_KEY, { nonce: 'abcdef012345', associated_data: 'transaction' });
    const reference = referenceGcmEncrypt(Buffer.from(API_V3_KEY), Buffer.from('abcdef012345'), Buffer.from('transaction'), Buffer.from(plaintext));
    expect(ours).toEqual({ algorithm: 'AEAD_AES_256_GCM', ciphertext: reference.toString('base64'), nonce: 'abcdef012345', associated_data: 'transaction' });
  });

  it('decrypts a ciphertext produced by the independent implementation, with empty AAD too', () => {
    for (const aad of ['certificate', '']) {
      const ct = referenceGcmEncrypt(Buffer.from(API_V3_KEY), Buffer.from('0123456789ab'), Buffer.from(aad), Buffer.from(plaintext));
      expect(decryptResource({ ciphertext: ct.toString('base64'), nonce: '0123456789ab', associated_data: aad }, API_V3_KEY)).toBe(plaintext);
    }
  });

  it('round-trips with a random nonce and accepts the key as a Buffer', () => {
    const enc = encryptResource('hello', Buffer.from(API_V3_KEY));
    expect(enc.nonce).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(decryptResource(enc, API_V3_KEY)).toBe('hello');
  });

  const base = encryptResource(plaintext, API_V3_KEY, { nonce: 'abcdef012345', associated_data: 'transaction' });
  const flip = (b64: string, index: number): string => {
    const buf = Buffer.from(b64, 'base64');
    buf[index] ^= 1;
    return buf.toString('base64');
  };

  it.each([
    ['wrong key', base, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'],
    ['wrong nonce', { ...base, nonce: 'abcdef012346' }, API_V3_KEY],
    ['wrong AAD', { ...base, associated_data: 'refund' }, API_V3_KEY],
    ['tampered ciphertext', { ...base, ciphertext: flip(base.ciphertext, 0) }, API_V3_KEY],
    ['tampered tag', { ...base, ciphertext: flip(base.ciphertext, Buffer.from(base.ciphertext, 'base64').length - 1) }, API_V3_KEY],
    ['truncated ciphertext', { ...base, ciphertext: Buffer.alloc(8).toString('base64') }, API_V3_KEY],
  ])('rejects %s with DECRYPT_FAILED', (_name, resource, key) => {
    expect(() => decryptResource(resource, key)).toThrow(expect.objectContaining({ code: ERROR_CODES.DECRYPT_FAILED }));
  });

  it('rejects an APIv3 key that is not 32 bytes, reporting only its length', () => {
    expect(() => decryptResource(base, 'short-secret')).toThrow(expect.objectContaining({ code: ERROR_CODES.APIV3_KEY_INVALID }));
    expect(() => encryptResource('x', 'a'.repeat(33))).toThrow(/33 bytes/);
    // 32 characters but 34 bytes in UTF-8: the key is used as bytes
    expect(() => encryptResource('x', '中' + 'a'.repeat(31))).toThrow(expect.objectContaining({ code: ERROR_CODES.APIV3_KEY_INVALID }));
    try {
      decryptResource(base, 'short-secret');
    } catch (e) {
      expect((e as Error).message).not.toContain('short-secret');
    }
  });

  it('rejects an unsupported algorithm and a malformed resource', () => {
    expect(() => decryptResource({ ...base, algorithm: 'AES_128_CBC' }, API_V3_KEY)).toThrow(
      expect.objectContaining({ code: ERROR_CODES.UNSUPPORTED_ALGORITHM }),
    );
    expect(() => decryptResource({ nonce: 'x' } as never, API_V3_KEY)).toThrow(expect.objectContaining({ code: ERROR_CODES.MALFORMED_MESSAGE }));
  });
});
