import { createPrivateKey, createPublicKey, X509Certificate } from 'crypto';
import {
  buildAuthorization,
  buildWechatpaySignatureHeaders,
  createKeyring,
  ERROR_CODES,
  parseAuthorization,
  verifyRequestSignature,
  verifyWechatpaySignature,
} from '../../lib/wechatpay';
import { generateRsaKeyPair, openssl, selfSignedCertificate, tempFile } from './fixtures';

const platform = generateRsaKeyPair();
const other = generateRsaKeyPair();
const SERIAL = 'PUB_KEY_ID_0112345';
const NOW = 1700000000_000;
const body = '{"code":"OK","amount":{"total":1}}';
const signed = (over: Record<string, string> = {}, b: string | Buffer = body) => ({
  headers: { ...buildWechatpaySignatureHeaders({ body: b, privateKey: platform.privateKey, serial: SERIAL, timestamp: NOW / 1000, nonce: 'NONCE' }), ...over },
  body: b,
});
const opts = { publicKeys: { [SERIAL]: platform.publicKey }, now: NOW };
const code = (c: string) => expect.objectContaining({ code: c });

describe('verifyWechatpaySignature', () => {
  it('accepts a correctly signed body and returns serial, timestamp, nonce', () => {
    expect(verifyWechatpaySignature(signed(), opts)).toEqual({ serial: SERIAL, timestamp: NOW / 1000, nonce: 'NONCE' });
  });

  it('produces signatures openssl verifies over TIMESTAMP\\nNONCE\\nBODY\\n', () => {
    const { headers } = signed();
    const sig = tempFile('resp.sig', Buffer.from(headers['Wechatpay-Signature'], 'base64'));
    const pub = tempFile('platform-pub.pem', platform.publicKey);
    const out = openssl(['dgst', '-sha256', '-verify', pub, '-signature', sig], `${NOW / 1000}\nNONCE\n${body}\n`);
    expect(out.toString()).toContain('Verified OK');
  });

  it('looks headers up case-insensitively (Node lower-cases them) and accepts a Buffer body and fetch Headers', () => {
    const { headers } = signed();
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(verifyWechatpaySignature({ headers: lower, body: Buffer.from(body) }, opts).serial).toBe(SERIAL);
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), [v]]));
    expect(verifyWechatpaySignature({ headers: upper, body }, opts).serial).toBe(SERIAL);
    expect(verifyWechatpaySignature({ headers: new Headers(headers), body }, opts).serial).toBe(SERIAL);
  });

  it('verifies an empty (204) body as TIMESTAMP\\nNONCE\\n\\n', () => {
    expect(verifyWechatpaySignature(signed({}, ''), opts).nonce).toBe('NONCE');
  });

  it.each(['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial'])('rejects a missing %s', (name) => {
    const msg = signed();
    delete (msg.headers as Record<string, string>)[name];
    expect(() => verifyWechatpaySignature(msg, opts)).toThrow(expect.objectContaining({ code: ERROR_CODES.SIGNATURE_MISSING, message: expect.stringContaining(name) }));
  });

  it('rejects a message with no signature headers at all (a forged 2xx)', () => {
    expect(() => verifyWechatpaySignature({ headers: {}, body }, opts)).toThrow(code(ERROR_CODES.SIGNATURE_MISSING));
  });

  it('rejects skew of 300 s both ways and accepts 299 s', () => {
    expect(() => verifyWechatpaySignature(signed(), { ...opts, now: NOW + 300_000 })).toThrow(code(ERROR_CODES.TIMESTAMP_SKEW));
    expect(() => verifyWechatpaySignature(signed(), { ...opts, now: NOW - 300_000 })).toThrow(code(ERROR_CODES.TIMESTAMP_SKEW));
    expect(verifyWechatpaySignature(signed(), { ...opts, now: NOW + 299_000 }).serial).toBe(SERIAL);
    expect(verifyWechatpaySignature(signed(), { ...opts, now: new Date(NOW - 299_000) }).serial).toBe(SERIAL);
  });

  it('lets the skew be tuned but never disabled', () => {
    expect(() => verifyWechatpaySignature(signed(), { ...opts, now: NOW + 61_000, maxSkewSeconds: 60 })).toThrow(code(ERROR_CODES.TIMESTAMP_SKEW));
    for (const bad of [0, -1, Infinity, NaN]) {
      expect(() => verifyWechatpaySignature(signed(), { ...opts, maxSkewSeconds: bad })).toThrow(code(ERROR_CODES.INVALID_ARGUMENT));
    }
  });

  it('rejects a non-numeric timestamp', () => {
    expect(() => verifyWechatpaySignature(signed({ 'Wechatpay-Timestamp': '1700000000.5' }), opts)).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
  });

  it('rejects an unknown serial, naming it', () => {
    expect(() => verifyWechatpaySignature(signed({ 'Wechatpay-Serial': 'PUB_KEY_ID_OTHER' }), opts)).toThrow(
      expect.objectContaining({ code: ERROR_CODES.UNKNOWN_SERIAL, message: expect.stringContaining('PUB_KEY_ID_OTHER') }),
    );
    // inherited properties are not serials
    expect(() => verifyWechatpaySignature(signed({ 'Wechatpay-Serial': 'constructor' }), opts)).toThrow(code(ERROR_CODES.UNKNOWN_SERIAL));
  });

  it('rejects a bad signature: wrong key, altered body, re-serialised body', () => {
    const wrongKey = { headers: buildWechatpaySignatureHeaders({ body, privateKey: other.privateKey, serial: SERIAL, now: NOW }), body };
    expect(() => verifyWechatpaySignature(wrongKey, opts)).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
    expect(() => verifyWechatpaySignature({ ...signed(), body: body.replace('1', '2') }, opts)).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
    const reserialised = JSON.stringify(JSON.parse(body), null, 1);
    expect(() => verifyWechatpaySignature({ ...signed(), body: reserialised }, opts)).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
    expect(() => verifyWechatpaySignature(signed({ 'Wechatpay-Signature': '!!!not base64' }), opts)).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
  });

  it('decodes Wechatpay-Signature strictly: canonical base64 of exactly 256 bytes, nothing appended', () => {
    const genuine = signed().headers['Wechatpay-Signature'];
    expect(verifyWechatpaySignature(signed({ 'Wechatpay-Signature': genuine }), opts).serial).toBe(SERIAL);
    // Node's decoder skips these and would hand the genuine 256 bytes to RSA verify.
    for (const variant of [`${genuine},junk`, `${genuine}, ${genuine}`, `${genuine}!!junk`, ` ${genuine}`, `${genuine.slice(0, 100)}\n${genuine.slice(100)}`]) {
      expect(Buffer.from(variant, 'base64').equals(Buffer.from(genuine, 'base64'))).toBe(true);
      expect(() => verifyWechatpaySignature(signed({ 'Wechatpay-Signature': variant }), opts)).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
    }
    // Unpadded, or a non-canonical last character (same bytes, another spelling).
    expect(() => verifyWechatpaySignature(signed({ 'Wechatpay-Signature': genuine.replace(/=+$/, '') }), opts)).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
    const last = genuine[genuine.length - 3];
    const sibling = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'[('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.indexOf(last) | 1)];
    const respelled = genuine.slice(0, -3) + sibling + '==';
    expect(Buffer.from(respelled, 'base64').equals(Buffer.from(genuine, 'base64'))).toBe(true);
    expect(() => verifyWechatpaySignature(signed({ 'Wechatpay-Signature': respelled }), opts)).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
    // 255 and 257 bytes.
    const bytes = Buffer.from(genuine, 'base64');
    for (const other of [bytes.subarray(1), Buffer.concat([bytes, Buffer.from([0])])]) {
      expect(() => verifyWechatpaySignature(signed({ 'Wechatpay-Signature': other.toString('base64') }), opts)).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
    }
  });

  it('rejects WECHATPAY/SIGNTEST/ probes', () => {
    const probe = signed({ 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/' + signed().headers['Wechatpay-Signature'] });
    expect(() => verifyWechatpaySignature(probe, opts)).toThrow(
      expect.objectContaining({ code: ERROR_CODES.SIGNATURE_INVALID, detail: expect.objectContaining({ probe: true }) }),
    );
  });

  it('rejects an unsupported Wechatpay-Signature-Type', () => {
    expect(() => verifyWechatpaySignature(signed({ 'Wechatpay-Signature-Type': 'WECHATPAY2-SM2-WITH-SM3' }), opts)).toThrow(
      code(ERROR_CODES.UNSUPPORTED_ALGORITHM),
    );
  });

  it('rejects a parsed object body, saying to pass the raw body', () => {
    expect(() => verifyWechatpaySignature({ headers: signed().headers, body: JSON.parse(body) }, opts)).toThrow(
      expect.objectContaining({ code: ERROR_CODES.BODY_NOT_RAW, message: expect.stringContaining('raw') }),
    );
  });

  it('accepts certificate PEMs, KeyObjects and keyrings as keys', () => {
    const cert = selfSignedCertificate(platform.privateKey);
    const certSerial = new X509Certificate(cert).serialNumber;
    const msg = { headers: buildWechatpaySignatureHeaders({ body, privateKey: createPrivateKey(platform.privateKey), serial: certSerial, now: NOW }), body };
    expect(verifyWechatpaySignature(msg, { publicKeys: { [certSerial]: cert }, now: NOW }).serial).toBe(certSerial);
    expect(verifyWechatpaySignature(msg, { publicKeys: { [certSerial]: createPublicKey(platform.publicKey) }, now: NOW }).serial).toBe(certSerial);
    const ring = createKeyring({ publicKeys: { [certSerial]: cert, [SERIAL]: platform.publicKey } });
    expect(ring.serials().sort()).toEqual([certSerial, SERIAL].sort());
    expect(verifyWechatpaySignature(msg, { publicKeys: ring, now: NOW }).serial).toBe(certSerial);
    expect(() => createKeyring({ publicKeys: { bad: 'not a pem' } })).toThrow(code(ERROR_CODES.KEY_INVALID));
    expect(() => verifyWechatpaySignature(msg, { publicKeys: { [certSerial]: createPrivateKey(platform.privateKey) }, now: NOW })).toThrow(
      code(ERROR_CODES.KEY_INVALID),
    );
  });
});

describe('parseAuthorization / verifyRequestSignature (the simulator side)', () => {
  const merchant = generateRsaKeyPair();
  const auth = (over: Partial<Parameters<typeof buildAuthorization>[0]> = {}) =>
    buildAuthorization({ method: 'GET', url: '/v3/pay/transactions/id/1?mchid=1900', mchid: '1900', serialNo: 'MS', privateKey: merchant.privateKey, now: NOW, ...over });

  it('parses the five fields in any order', () => {
    const header = 'WECHATPAY2-SHA256-RSA2048 signature="c2ln",serial_no="S", timestamp="1",nonce_str="n",mchid="m"';
    expect(parseAuthorization(header)).toEqual({ mchid: 'm', nonce_str: 'n', timestamp: '1', serial_no: 'S', signature: 'c2ln' });
  });

  it.each([
    [undefined, ERROR_CODES.SIGNATURE_MISSING],
    ['Bearer abc', ERROR_CODES.AUTHORIZATION_INVALID],
    ['WECHATPAY2-SHA256-RSA2048 mchid="m",nonce_str="n",timestamp="1",serial_no="s"', ERROR_CODES.AUTHORIZATION_INVALID],
    ['WECHATPAY2-SHA256-RSA2048 mchid=m', ERROR_CODES.AUTHORIZATION_INVALID],
  ])('rejects %p with %s', (header, expected) => {
    expect(() => parseAuthorization(header)).toThrow(code(expected));
  });

  const base = { method: 'GET', url: '/v3/pay/transactions/id/1?mchid=1900', publicKey: merchant.publicKey, now: NOW };

  it('verifies a merchant request and returns the parsed fields', () => {
    expect(verifyRequestSignature({ ...base, authorization: auth(), mchid: '1900' })).toMatchObject({ mchid: '1900', serial_no: 'MS' });
    const post = auth({ method: 'POST', url: '/v3/x', body: '{"a":1}' });
    expect(verifyRequestSignature({ ...base, method: 'POST', url: '/v3/x', body: Buffer.from('{"a":1}'), authorization: post }).mchid).toBe('1900');
  });

  it('rejects a wrong mchid, a changed path, body or method, a wrong key, and clock skew', () => {
    expect(() => verifyRequestSignature({ ...base, authorization: auth(), mchid: '1901' })).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
    expect(() => verifyRequestSignature({ ...base, url: '/v3/pay/transactions/id/2?mchid=1900', authorization: auth() })).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
    expect(() => verifyRequestSignature({ ...base, body: 'x', authorization: auth() })).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
    expect(() => verifyRequestSignature({ ...base, method: 'POST', authorization: auth() })).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
    expect(() => verifyRequestSignature({ ...base, publicKey: other.publicKey, authorization: auth() })).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
    expect(() => verifyRequestSignature({ ...base, now: NOW + 301_000, authorization: auth() })).toThrow(code(ERROR_CODES.TIMESTAMP_SKEW));
    expect(() => verifyRequestSignature({ ...base, authorization: auth(), body: {} as never })).toThrow(code(ERROR_CODES.BODY_NOT_RAW));
  });
});
