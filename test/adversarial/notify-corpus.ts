/**
 * The bad-notification corpus: every case is generated from the real keys with lib/wechatpay's own
 * inverse (buildNotification / buildWechatpaySignatureHeaders), then broken in exactly one way.
 * Shared by the pure-parser test and the on-the-stack test.
 */
import { generateKeyPairSync } from 'crypto';
import { buildNotification, buildWechatpaySignatureHeaders, ERROR_CODES } from '../../lib/wechatpay';

export interface Keys {
  apiV3Key: string;
  platformPrivateKey: string;
  serial: string;
  appid: string;
  mchid: string;
}

export interface BadNotification {
  name: string;
  headers: Record<string, string>;
  body: string;
  /** parseNotification's typed error code, or 'ACCEPTED' when the message is genuine. */
  code: string;
  /** payNotify's documented answer: 401 for anything unverified, 204 for genuine-but-wrong. */
  status: 401 | 204;
  /** Genuine but not payable: the anomaly payNotify must record (payment_events detail). */
  anomaly?: RegExp;
}

/** An out_trade_no no order of ours has (our numbers never take this shape). */
export const UNKNOWN_OUT_TRADE_NO = 'NO_SUCH_ORDER_0000000000000001';

export const HEADER_NAMES = ['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial'] as const;

function flipBase64(b64: string, index: (len: number) => number): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[index(bytes.length)] ^= 0x01;
  return bytes.toString('base64');
}

export function transactionResource(keys: Keys, order: { outTradeNo: string; openid: string; total: number }, patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    appid: keys.appid, mchid: keys.mchid, out_trade_no: order.outTradeNo, transaction_id: '4200000000000000000000000001',
    trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: 'ok', bank_type: 'OTHERS', success_time: new Date().toISOString(),
    payer: { openid: order.openid },
    amount: { total: order.total, payer_total: order.total, currency: 'CNY', payer_currency: 'CNY' },
    ...patch,
  };
}

/**
 * `skewSeconds` (default 301, the first second past the 300 s window) sets how far the stale and
 * future timestamps are off. The pure parser test keeps 301 with an injected clock (the exact
 * boundary); over HTTP a message ages on its way, so "301 s ahead" could arrive 299 s ahead on a
 * loaded machine: the stack test uses a wider skew instead.
 */
export function badNotifications(keys: Keys, resource: Record<string, unknown>, now: number = Date.now(), options: { skewSeconds?: number } = {}): BadNotification[] {
  const skewMs = (options.skewSeconds ?? 301) * 1000;
  const sign = (body: string, at = now, serial = keys.serial): Record<string, string> => ({
    ...buildWechatpaySignatureHeaders({ body, privateKey: keys.platformPrivateKey, serial, now: at }),
  });
  const genuine = (res: Record<string, unknown> = resource, eventType = 'TRANSACTION.SUCCESS', at = now) =>
    buildNotification({ eventType, resource: res, apiV3Key: keys.apiV3Key, privateKey: keys.platformPrivateKey, serial: keys.serial, now: at });
  /** Re-signs a body whose encrypted resource was altered, so only the AES-GCM check can catch it. */
  const alterResource = (change: (r: Record<string, string>) => void): { headers: Record<string, string>; body: string } => {
    const envelope = JSON.parse(genuine().body);
    change(envelope.resource);
    const body = JSON.stringify(envelope);
    return { headers: sign(body), body };
  };
  const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const good = genuine();
  const cases: BadNotification[] = [];
  const add = (name: string, n: { headers: Record<string, string>; body: string }, code: string, status: 401 | 204 = 401, anomaly?: RegExp) =>
    cases.push({ name, headers: { ...n.headers }, body: n.body, code, status, ...(anomaly ? { anomaly } : {}) });

  for (const header of HEADER_NAMES) {
    const { [header]: _dropped, ...rest } = good.headers as unknown as Record<string, string>;
    add(`missing ${header}`, { headers: rest, body: good.body }, ERROR_CODES.SIGNATURE_MISSING);
  }
  add(`timestamp ${skewMs / 1000} s in the past`, genuine(resource, 'TRANSACTION.SUCCESS', now - skewMs), ERROR_CODES.TIMESTAMP_SKEW);
  add(`timestamp ${skewMs / 1000} s in the future`, genuine(resource, 'TRANSACTION.SUCCESS', now + skewMs), ERROR_CODES.TIMESTAMP_SKEW);
  add('unknown serial', { headers: sign(good.body, now, 'PUB_KEY_ID_0000000000000000000000000000'), body: good.body }, ERROR_CODES.UNKNOWN_SERIAL);
  add('WECHATPAY/SIGNTEST/ probe', { headers: { ...good.headers, 'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${good.headers['Wechatpay-Signature']}` }, body: good.body }, ERROR_CODES.SIGNATURE_INVALID);
  add('signed by another key', { headers: buildWechatpaySignatureHeaders({ body: good.body, privateKey: attacker, serial: keys.serial, now }) as unknown as Record<string, string>, body: good.body }, ERROR_CODES.SIGNATURE_INVALID);
  add('unsupported Wechatpay-Signature-Type', { headers: { ...good.headers, 'Wechatpay-Signature-Type': 'HMAC-SHA256' }, body: good.body }, ERROR_CODES.UNSUPPORTED_ALGORITHM);
  add('one bit of the body flipped, not re-signed', { headers: good.headers, body: good.body.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESs"') }, ERROR_CODES.SIGNATURE_INVALID);
  add('re-serialised body (same JSON, other bytes)', { headers: good.headers, body: JSON.stringify(JSON.parse(good.body), null, 1) }, ERROR_CODES.SIGNATURE_INVALID);
  add('ciphertext bit flipped (re-signed)', alterResource((r) => (r.ciphertext = flipBase64(r.ciphertext, () => 0))), ERROR_CODES.DECRYPT_FAILED);
  add('GCM tag bit flipped (re-signed)', alterResource((r) => (r.ciphertext = flipBase64(r.ciphertext, (len) => len - 1))), ERROR_CODES.DECRYPT_FAILED);
  add('nonce changed (re-signed)', alterResource((r) => (r.nonce = `${r.nonce.slice(0, -1)}${r.nonce.endsWith('A') ? 'B' : 'A'}`)), ERROR_CODES.DECRYPT_FAILED);
  add('associated_data changed (re-signed)', alterResource((r) => (r.associated_data = 'refund')), ERROR_CODES.DECRYPT_FAILED);
  add('resource algorithm changed (re-signed)', alterResource((r) => (r.algorithm = 'AEAD_AES_128_GCM')), ERROR_CODES.UNSUPPORTED_ALGORITHM);
  add('empty body, headers of another message', { headers: good.headers, body: '' }, ERROR_CODES.SIGNATURE_INVALID);
  add('empty body, signed', { headers: sign(''), body: '' }, ERROR_CODES.MALFORMED_MESSAGE);
  add('non-JSON body, signed', { headers: sign('<xml>hello</xml>'), body: '<xml>hello</xml>' }, ERROR_CODES.MALFORMED_MESSAGE);
  add('JSON array body, signed', { headers: sign('[1,2,3]'), body: '[1,2,3]' }, ERROR_CODES.MALFORMED_MESSAGE);
  const huge = JSON.stringify({ id: 'x', event_type: 'TRANSACTION.SUCCESS', padding: 'x'.repeat(1_000_000) });
  add('huge body (1 MB), signed, no resource', { headers: sign(huge), body: huge }, ERROR_CODES.MALFORMED_MESSAGE);
  add('huge body (1 MB), not signed', { headers: good.headers, body: `${good.body}${' '.repeat(1_000_000)}` }, ERROR_CODES.SIGNATURE_INVALID);
  // Genuine (signed by WeChat Pay's key) but wrong: acknowledged so WeChat stops retrying, never applied.
  add('wrong event type, genuine', genuine(resource, 'TRANSACTION.FAKE'), 'ACCEPTED', 204);
  add('genuine, resource of another merchant', genuine({ ...resource, mchid: '1999999999' }), 'ACCEPTED', 204, /mchid/);
  add('genuine, resource of another app', genuine({ ...resource, appid: 'wx0000000000000000' }), 'ACCEPTED', 204, /appid/);
  const amount = resource.amount as { total: number; currency: string };
  add('genuine, another amount', genuine({ ...resource, amount: { ...amount, total: amount.total - 1, payer_total: amount.total - 1 } }), 'ACCEPTED', 204, /amount/);
  add('genuine, currency USD', genuine({ ...resource, amount: { ...amount, currency: 'USD', payer_currency: 'USD' } }), 'ACCEPTED', 204, /currency/);
  add('genuine, paid by another openid', genuine({ ...resource, payer: { openid: 'oSOMEONE_ELSE00000000000000' } }), 'ACCEPTED', 204, /payer openid differs/);
  const { payer: _payer, ...withoutPayer } = resource;
  add('genuine, no payer', genuine(withoutPayer), 'ACCEPTED', 204, /payer openid missing/);
  add('genuine, unknown out_trade_no', genuine({ ...resource, out_trade_no: UNKNOWN_OUT_TRADE_NO }), 'ACCEPTED', 204, /unknown order/);
  return cases;
}
