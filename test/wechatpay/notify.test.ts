import {
  buildNotification,
  buildWechatpaySignatureHeaders,
  createKeyring,
  encryptResource,
  ERROR_CODES,
  isRefundNotification,
  isTransactionNotification,
  parseNotification,
} from '../../lib/wechatpay';
import { API_V3_KEY, generateRsaKeyPair } from './fixtures';

const platform = generateRsaKeyPair();
const SERIAL = 'PUB_KEY_ID_0114232134912410000000';
const NOW = 1747718975_000;
const transaction = {
  appid: 'wxd678efh567hg6787',
  mchid: '1230000109',
  out_trade_no: 'ORDER_0001',
  transaction_id: '1217752501201407033233368018',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  success_time: '2025-05-20T13:29:35+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' },
};
const opts = { apiV3Key: API_V3_KEY, publicKeys: { [SERIAL]: platform.publicKey }, now: NOW };
const notification = (eventType = 'TRANSACTION.SUCCESS', resource: object = transaction) =>
  buildNotification({ eventType, resource, apiV3Key: API_V3_KEY, privateKey: platform.privateKey, serial: SERIAL, id: 'EV-1', now: NOW });
/** Re-sign an edited body so the signature passes and the later checks are reached. */
const resign = (body: string) => ({
  headers: buildWechatpaySignatureHeaders({ body, privateKey: platform.privateKey, serial: SERIAL, now: NOW }),
  body,
});
const code = (c: string) => expect.objectContaining({ code: c });

describe('parseNotification', () => {
  it('verifies, decrypts and parses a TRANSACTION.SUCCESS notification', () => {
    const event = parseNotification(notification(), opts);
    expect(event).toEqual({
      id: 'EV-1',
      create_time: '2025-05-20T13:29:35+08:00',
      event_type: 'TRANSACTION.SUCCESS',
      resource_type: 'encrypt-resource',
      summary: '支付成功',
      resource: transaction,
    });
    expect(isTransactionNotification(event)).toBe(true);
    expect(isRefundNotification(event)).toBe(false);
  });

  it('parses REFUND.* notifications from a keyring, with a Buffer body and lower-case headers', () => {
    const refund = { mchid: '1230000109', out_trade_no: 'ORDER_0001', transaction_id: 't', out_refund_no: 'R1', refund_id: 'r', refund_status: 'SUCCESS' };
    const n = notification('REFUND.SUCCESS', refund);
    const headers = Object.fromEntries(Object.entries(n.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const event = parseNotification({ headers, body: Buffer.from(n.body) }, { ...opts, publicKeys: createKeyring({ publicKeys: opts.publicKeys }) });
    expect(isRefundNotification(event)).toBe(true);
    expect(event.resource).toEqual(refund);
  });

  it('rejects a parsed body object, a missing header, skew, unknown serial, bad signature and a probe in that order', () => {
    const n = notification();
    expect(() => parseNotification({ headers: n.headers, body: JSON.parse(n.body) }, opts)).toThrow(code(ERROR_CODES.BODY_NOT_RAW));
    const { ['Wechatpay-Nonce']: _drop, ...noNonce } = n.headers;
    expect(() => parseNotification({ headers: noNonce, body: n.body }, opts)).toThrow(code(ERROR_CODES.SIGNATURE_MISSING));
    expect(() => parseNotification(n, { ...opts, now: NOW + 300_000 })).toThrow(code(ERROR_CODES.TIMESTAMP_SKEW));
    expect(() => parseNotification(n, { ...opts, now: NOW - 300_000 })).toThrow(code(ERROR_CODES.TIMESTAMP_SKEW));
    // skew is checked before the serial, the serial before the signature
    expect(() => parseNotification({ ...n, headers: { ...n.headers, 'Wechatpay-Serial': 'X' } }, { ...opts, now: NOW + 400_000 })).toThrow(
      code(ERROR_CODES.TIMESTAMP_SKEW),
    );
    expect(() => parseNotification({ ...n, headers: { ...n.headers, 'Wechatpay-Serial': 'X', 'Wechatpay-Signature': 'bad' } }, opts)).toThrow(
      code(ERROR_CODES.UNKNOWN_SERIAL),
    );
    expect(() => parseNotification({ ...n, body: n.body.replace('EV-1', 'EV-2') }, opts)).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
    const probe = { ...n, headers: { ...n.headers, 'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${n.headers['Wechatpay-Signature']}` } };
    expect(() => parseNotification(probe, opts)).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
  });

  it('rejects a tampered ciphertext, nonce or AAD (signed correctly) with DECRYPT_FAILED', () => {
    const envelope = JSON.parse(notification().body);
    const ct = Buffer.from(envelope.resource.ciphertext, 'base64');
    ct[3] ^= 0x40;
    for (const change of [{ ciphertext: ct.toString('base64') }, { nonce: 'AAAAAAAAAAAA' }, { associated_data: 'refund' }]) {
      const body = JSON.stringify({ ...envelope, resource: { ...envelope.resource, ...change } });
      expect(() => parseNotification(resign(body), opts)).toThrow(code(ERROR_CODES.DECRYPT_FAILED));
    }
  });

  it('rejects a wrong APIv3 key (DECRYPT_FAILED) and a key of the wrong length (APIV3_KEY_INVALID)', () => {
    expect(() => parseNotification(notification(), { ...opts, apiV3Key: 'Z'.repeat(32) })).toThrow(code(ERROR_CODES.DECRYPT_FAILED));
    expect(() => parseNotification(notification(), { ...opts, apiV3Key: 'Z'.repeat(31) })).toThrow(code(ERROR_CODES.APIV3_KEY_INVALID));
  });

  it('rejects a non-JSON body, a missing resource, an unsupported algorithm and a non-JSON resource', () => {
    expect(() => parseNotification(resign('not json'), opts)).toThrow(code(ERROR_CODES.MALFORMED_MESSAGE));
    expect(() => parseNotification(resign('{"id":"1","event_type":"TRANSACTION.SUCCESS"}'), opts)).toThrow(code(ERROR_CODES.MALFORMED_MESSAGE));
    const envelope = JSON.parse(notification().body);
    const cbc = JSON.stringify({ ...envelope, resource: { ...envelope.resource, algorithm: 'AES_256_CBC' } });
    expect(() => parseNotification(resign(cbc), opts)).toThrow(code(ERROR_CODES.UNSUPPORTED_ALGORITHM));
    const text = JSON.stringify({ ...envelope, resource: { ...encryptResource('plain text', API_V3_KEY, { associated_data: 'transaction' }) } });
    expect(() => parseNotification(resign(text), opts)).toThrow(code(ERROR_CODES.MALFORMED_MESSAGE));
  });
});
