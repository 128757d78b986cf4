/**
 * Both ways to the mini-program platform against the CloudBase emulator's platform: the cloud call
 * through the real wx-server-sdk (multipart + protobuf wire) and the access-token path
 * (cgi-bin/stable_token, then POST /wxa/sec/order/…?access_token=) — same answers, same errcodes.
 * Plus the mp message-push signature (sha1 of the sorted token, timestamp, nonce).
 */
import { createHash } from 'node:crypto';
import { cloudCallPlatform } from '../../lib/platform/cloud-call';
import { checkPushSignature } from '../../lib/platform/msgpush';
import { tokenPlatform } from '../../lib/platform/token';
import type { Payment } from '../../emulator/cloudbase/platform/state';
import { startHarness, type Harness } from '../cloudbase/helpers';

const payments: Payment[] = [
  { mchid: '1900000109', out_trade_no: 'P202612010001', transaction_id: '4200000001', openid: 'oPAYER0000001', total: 100, refunded: 0, pay_time: 1796155330 },
  { mchid: '1900000109', out_trade_no: 'P202612010002', transaction_id: '4200000002', openid: 'oPAYER0000001', total: 100, refunded: 0, pay_time: 1796155330 },
];
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    platform: { appid: 'wx1234567890abcdef', payments: async (k) => payments.find((p) => (k.transaction_id ? p.transaction_id === k.transaction_id : p.out_trade_no === k.out_trade_no && p.mchid === k.mchid)) ?? null },
  });
});
afterAll(() => h.stop());

const upload = (no: string, tracking: string, time: string) => ({
  order_key: { order_number_type: 1, mchid: '1900000109', out_trade_no: no },
  logistics_type: 1, delivery_mode: 1,
  shipping_list: [{ tracking_no: tracking, express_company: 'YTO', item_desc: 'Cup x1' }],
  upload_time: time, payer: { openid: 'oPAYER0000001' },
});

test.each([
  ['cloud call (wx-server-sdk)', () => cloudCallPlatform(h.cloud), 'P202612010001'],
  ['access token (stable_token)', () => tokenPlatform({ appid: 'wx1234567890abcdef', appSecret: 'test-secret-not-real', baseUrl: h.emu.url, now: Date.now }), 'P202612010002'],
])('%s: upload, the identical upload is 10060023, unknown payment 10060001, getOrder shows state 2', async (_name, make, no) => {
  const platform = make();
  expect(await platform.call('uploadShippingInfo', upload(no, 'YT1', '2026-12-01T12:00:00.000+08:00'))).toMatchObject({ errcode: 0 });
  expect(await platform.call('uploadShippingInfo', upload(no, 'YT1', '2026-12-01T12:00:00.000+08:00'))).toMatchObject({ errcode: 10060023 });
  expect(await platform.call('uploadShippingInfo', upload('P209912319999', 'YT1', '2026-12-01T12:00:00.000+08:00'))).toMatchObject({ errcode: 10060001 });
  expect(await platform.call('uploadShippingInfo', { ...upload(no, 'YT2', '2026-12-01T12:00:01.000+08:00'), payer: { openid: 'oSOMEONEELSE1' } })).toMatchObject({ errcode: 10060031 });
  const got = await platform.call('getOrder', { merchant_id: '1900000109', merchant_trade_no: no });
  expect(got).toMatchObject({ errcode: 0, order: { merchant_trade_no: no, order_state: 2, shipping: { logistics_type: 1, shipping_list: [{ tracking_no: 'YT1' }] } } });
});

test('the token path refuses a call without a valid access_token (40001) and a wrong appid at stable_token', async () => {
  const res = await fetch(`${h.emu.url}/wxa/sec/order/get_order?access_token=forged`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(await res.json()).toMatchObject({ errcode: 40001 });
  const bad = tokenPlatform({ appid: 'wx0000000000000000', appSecret: 's', baseUrl: h.emu.url, now: Date.now });
  expect(await bad.call('getOrder', { merchant_id: '1900000109', merchant_trade_no: 'P202612010001' })).toMatchObject({ errcode: 40013 });
});

test('message-push signature: sha1 of the sorted values, fresh timestamps only, constant-time compare', () => {
  const now = 1_796_155_330_000;
  const ts = String(now / 1000);
  const signature = createHash('sha1').update(['tok3n', ts, 'n0nce'].sort().join('')).digest('hex');
  expect(checkPushSignature('tok3n', { signature, timestamp: ts, nonce: 'n0nce' }, now)).toEqual({ ok: true });
  expect(checkPushSignature('other', { signature, timestamp: ts, nonce: 'n0nce' }, now)).toEqual({ ok: false, reason: 'signature mismatch' });
  expect(checkPushSignature('tok3n', { signature, timestamp: ts, nonce: 'n0nce' }, now + 301_000)).toEqual({ ok: false, reason: 'timestamp is not fresh' });
  expect(checkPushSignature('tok3n', { timestamp: ts, nonce: 'n0nce' }, now).ok).toBe(false);
});
