/** The corpus at the pure-function level: parseNotification throws the documented typed error. */
import { generateKeyPairSync } from 'crypto';
import { ERROR_CODES, parseNotification, WxPayError } from '../../lib/wechatpay';
import { badNotifications, transactionResource, type Keys } from './notify-corpus';

const pair = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const keys: Keys = { apiV3Key: 'A'.repeat(16) + 'b'.repeat(16), platformPrivateKey: pair.privateKey, serial: 'PUB_KEY_ID_0114232134912410000000000001', appid: 'wxd678efh567hg6787', mchid: '1230000109' };
const now = Date.now();
const resource = transactionResource(keys, { outTradeNo: 'K0123456789abcdef', openid: 'oUser', total: 3600 });
const parse = (headers: Record<string, string>, body: string) => parseNotification({ headers, body }, { apiV3Key: keys.apiV3Key, publicKeys: { [keys.serial]: pair.publicKey }, now });

describe.each(badNotifications(keys, resource, now).map((c) => [c.name, c] as const))('%s', (_name, c) => {
  it(c.code === 'ACCEPTED' ? 'verifies (genuine), leaving the business checks to payNotify' : `throws WxPayError ${c.code}`, () => {
    if (c.code === 'ACCEPTED') {
      expect(parse(c.headers, c.body).resource).toBeDefined();
      return;
    }
    let thrown: unknown;
    try {
      parse(c.headers, c.body);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(WxPayError);
    expect((thrown as WxPayError).code).toBe(c.code);
  });
});

it('Wechatpay-Signature-Type may be absent (checked only when present), and a parsed object is refused', () => {
  const [genuine] = badNotifications(keys, resource, now).filter((c) => c.name === 'wrong event type, genuine');
  const { 'Wechatpay-Signature-Type': _absent, ...headers } = genuine.headers;
  expect(parse(headers, genuine.body).event_type).toBe('TRANSACTION.FAKE');
  expect(() => parseNotification({ headers, body: JSON.parse(genuine.body) }, { apiV3Key: keys.apiV3Key, publicKeys: { [keys.serial]: pair.publicKey }, now }))
    .toThrow(expect.objectContaining({ code: ERROR_CODES.BODY_NOT_RAW }));
});
