import { createPrivateKey, createPublicKey } from 'crypto';
import {
  buildAuthorization,
  buildRequestMessage,
  ERROR_CODES,
  generateNonce,
  parseAuthorization,
  signSha256Rsa,
} from '../../lib/wechatpay';
import { generateRsaKeyPair, hasOpenssl, openssl, tempFile } from './fixtures';

const keys = generateRsaKeyPair();
if (!hasOpenssl()) throw new Error('openssl CLI not found: the known-answer tests need it (apt-get install openssl)');

describe('signSha256Rsa (known answer against the openssl CLI)', () => {
  const keyPath = tempFile('merchant-key.pem', keys.privateKey);
  const pubPath = tempFile('merchant-pub.pem', keys.publicKey);

  it.each(['GET\n/v3/certificates\n1700000000\nabc\n\n', 'POST\n/v3/x\n1\nn\n{"中文":"✓"}\n'])(
    'equals `openssl dgst -sha256 -sign` byte for byte (%#)',
    (message) => {
      const expected = openssl(['dgst', '-sha256', '-sign', keyPath], message).toString('base64');
      expect(signSha256Rsa(message, keys.privateKey)).toBe(expected);
    },
  );

  it('gives the same signature for a PEM and a KeyObject', () => {
    const keyObject = createPrivateKey(keys.privateKey);
    expect(signSha256Rsa('m', keyObject)).toBe(signSha256Rsa('m', keys.privateKey));
  });

  it('builds an Authorization header whose signature openssl verifies over the canonical message', () => {
    const header = buildAuthorization({
      method: 'POST',
      url: 'https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi',
      body: '{"amount":{"total":1}}',
      mchid: '1900000001',
      serialNo: 'MERCHANTSERIAL',
      privateKey: keys.privateKey,
      timestamp: 1700000000,
      nonce: 'NONCE123',
    });
    expect(header.startsWith('WECHATPAY2-SHA256-RSA2048 ')).toBe(true);
    const auth = parseAuthorization(header);
    expect(auth).toMatchObject({ mchid: '1900000001', nonce_str: 'NONCE123', timestamp: '1700000000', serial_no: 'MERCHANTSERIAL' });
    const message = buildRequestMessage('POST', '/v3/pay/transactions/jsapi', '1700000000', 'NONCE123', '{"amount":{"total":1}}');
    const sigPath = tempFile('auth.sig', Buffer.from(auth.signature, 'base64'));
    const out = openssl(['dgst', '-sha256', '-verify', pubPath, '-signature', sigPath], message).toString();
    expect(out).toContain('Verified OK');
  });

  it('uses whole seconds from `now` and a fresh 32-char nonce by default', () => {
    const a = parseAuthorization(
      buildAuthorization({ method: 'GET', url: '/v3/x', mchid: 'm', serialNo: 's', privateKey: keys.privateKey, now: 1700000000999 }),
    );
    const b = parseAuthorization(
      buildAuthorization({ method: 'GET', url: '/v3/x', mchid: 'm', serialNo: 's', privateKey: keys.privateKey, now: new Date(1700000000000) }),
    );
    expect(a.timestamp).toBe('1700000000');
    expect(b.timestamp).toBe('1700000000');
    expect(a.nonce_str).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(a.nonce_str).not.toBe(b.nonce_str);
    expect(generateNonce(12)).toHaveLength(12);
  });

  it('draws nonces from a refilled random pool: distinct across refills, length-checked', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => generateNonce())); // 64 000 bytes: ~16 refills
    expect(seen.size).toBe(2000);
    expect(() => generateNonce(0)).toThrow(RangeError);
    expect(() => generateNonce(10_000)).toThrow(RangeError);
  });

  it('rejects a public KeyObject, an unparsable PEM and missing fields with stable codes, without echoing the key', () => {
    expect(() => signSha256Rsa('m', createPublicKey(keys.publicKey))).toThrow(expect.objectContaining({ code: ERROR_CODES.KEY_INVALID }));
    const bad = '-----BEGIN PRIVATE KEY-----\nSECRETSECRET\n-----END PRIVATE KEY-----';
    let err: unknown;
    try {
      signSha256Rsa('m', bad);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: ERROR_CODES.KEY_INVALID });
    expect((err as Error).message).not.toContain('SECRETSECRET');
    expect(() => buildAuthorization({ method: 'GET', url: '/x', mchid: '', serialNo: 's', privateKey: keys.privateKey })).toThrow(
      expect.objectContaining({ code: ERROR_CODES.INVALID_ARGUMENT }),
    );
  });
});
