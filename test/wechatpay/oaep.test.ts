import { ERROR_CODES, rsaOaepDecrypt, rsaOaepEncrypt } from '../../lib/wechatpay';
import { generateRsaKeyPair, openssl, tempFile } from './fixtures';

const keys = generateRsaKeyPair();
const oaepSha1 = ['-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha1', '-pkeyopt', 'rsa_mgf1_md:sha1'];

describe('RSA-OAEP (SHA-1) for sensitive fields', () => {
  const keyPath = tempFile('oaep-key.pem', keys.privateKey);
  const pubPath = tempFile('oaep-pub.pem', keys.publicKey);

  it('produces ciphertext that openssl decrypts with OAEP/SHA-1/MGF1-SHA1', () => {
    const ct = rsaOaepEncrypt('张三 13800138000', keys.publicKey);
    const plain = openssl(['pkeyutl', '-decrypt', '-inkey', keyPath, ...oaepSha1], Buffer.from(ct, 'base64'));
    expect(plain.toString('utf8')).toBe('张三 13800138000');
  });

  it('decrypts what openssl encrypted, and rejects a wrong key with DECRYPT_FAILED', () => {
    const ct = openssl(['pkeyutl', '-encrypt', '-pubin', '-inkey', pubPath, ...oaepSha1], Buffer.from('secret-name'));
    expect(rsaOaepDecrypt(ct.toString('base64'), keys.privateKey)).toBe('secret-name');
    const other = generateRsaKeyPair();
    expect(() => rsaOaepDecrypt(ct.toString('base64'), other.privateKey)).toThrow(expect.objectContaining({ code: ERROR_CODES.DECRYPT_FAILED }));
  });

  it('rejects a non-string plaintext', () => {
    expect(() => rsaOaepEncrypt(42 as never, keys.publicKey)).toThrow(expect.objectContaining({ code: ERROR_CODES.INVALID_ARGUMENT }));
  });
});
