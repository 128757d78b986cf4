// Every local port refuses what a hostile web page could send it (the cross-site guard in
// emulator/shared/guard.ts) and answers oversized bodies with a JSON 413 — on the real stack, while the
// real wx-server-sdk (no Origin, JSON) keeps working through it.
import { startHarness, type Harness } from '../e2e/harness';
import { raw } from '../support/raw-http';

let h: Harness;
jest.setTimeout(60_000);
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

async function paidOrder(openid: string): Promise<string> {
  const { outTradeNo } = await h.call('createOrder', { items: [{ productId: 'tea', quantity: 1 }] }, openid);
  const { transactions } = await h.sim('GET', '/__sim/transactions');
  await h.sim('POST', '/__sim/pay', { prepay_id: transactions.find((t: any) => t.out_trade_no === outTradeNo).prepay_id });
  await h.waitFor('paid', async () => (await h.order(outTradeNo)).status === 'SUCCESS');
  return outTradeNo;
}

const hostOf = (url: string) => new URL(url).host;

test('CloudBase emulator: a text/plain refund POST, a cross-origin admin write and a rebound Host are refused and change nothing', async () => {
  const no = await paidOrder('o-guard-1');
  const cb = h.stack.cloudbaseUrl;
  const refund = JSON.stringify({ data: { outTradeNo: no }, openid: h.stack.staffOpenid });
  const form = await raw(cb, '/functions/refundOrder', 'POST', { host: hostOf(cb), 'content-type': 'text/plain' }, refund);
  expect([form.status, form.body.code]).toEqual([415, 'JSON_REQUIRED']);
  const crossSite = await raw(cb, '/functions/refundOrder', 'POST', { host: hostOf(cb), origin: 'https://evil.example', 'content-type': 'application/json' }, refund);
  expect([crossSite.status, crossSite.body.code]).toEqual([403, 'FORBIDDEN_ORIGIN']);
  expect(crossSite.body.message).toMatch(/LOCAL_ALLOWED_ORIGINS/);
  const adminWrite = JSON.stringify({ action: 'database.updateDocument', envName: h.stack.envId, collectionName: 'orders', query: { _id: no }, data: { status: 'CLOSED' } });
  const admin = await raw(cb, '/admin', 'POST', { host: hostOf(cb), origin: 'http://localhost:3000', 'content-type': 'application/json' }, adminWrite);
  expect([admin.status, admin.body.code]).toEqual([403, 'FORBIDDEN_ORIGIN']);
  const adminForm = await raw(cb, '/admin', 'POST', { host: hostOf(cb), 'content-type': 'application/x-www-form-urlencoded' }, adminWrite);
  expect(adminForm.status).toBe(415);
  const rebound = await raw(cb, '/__emulator/health', 'GET', { host: 'evil.example' });
  expect([rebound.status, rebound.body.code]).toEqual([403, 'FORBIDDEN_HOST']);
  // Nothing happened: still paid, no refund recorded.
  expect((await h.order(no)).status).toBe('SUCCESS');
  expect(await h.stack.admin.find('refunds', { outTradeNo: no })).toEqual([]);
  // Same-origin and Origin-less JSON calls still work (the console's server side, curl, the SDK).
  const same = await raw(cb, '/__emulator/health', 'GET', { host: hostOf(cb), origin: `http://${hostOf(cb)}` });
  expect(same.status).toBe(200);
});

test('WeChat Pay simulator: a text/plain reset, a cross-origin pay and a rebound Host are refused; the ledger is intact', async () => {
  const no = await paidOrder('o-guard-2');
  const sim = h.stack.simulatorUrl;
  const reset = await raw(sim, '/__sim/reset', 'POST', { host: hostOf(sim), 'content-type': 'text/plain' }, '{}');
  expect([reset.status, reset.body.code]).toEqual([415, 'JSON_REQUIRED']);
  const resetNoType = await raw(sim, '/__sim/reset', 'POST', { host: hostOf(sim) }, '{}');
  expect(resetNoType.status).toBe(415);
  const crossSite = await raw(sim, '/__sim/reset', 'POST', { host: hostOf(sim), origin: 'https://evil.example', 'content-type': 'application/json' }, '{}');
  expect([crossSite.status, crossSite.body.code]).toEqual([403, 'FORBIDDEN_ORIGIN']);
  const rebound = await raw(sim, '/__sim/transactions', 'GET', { host: 'attacker.test:80' });
  expect([rebound.status, rebound.body.code]).toEqual([403, 'FORBIDDEN_HOST']);
  const { transactions } = await h.sim('GET', '/__sim/transactions');
  expect(transactions.find((t: any) => t.out_trade_no === no)?.trade_state).toBe('SUCCESS');
});

test('oversized bodies get a JSON 413, not a connection reset; the servers keep answering', async () => {
  const cb = h.stack.cloudbaseUrl;
  const big = Buffer.alloc((16 << 20) + 1, 0x20);
  const fn = await raw(cb, '/functions/createOrder', 'POST', { host: hostOf(cb), 'content-type': 'application/json' }, big);
  expect(fn.status).toBe(413);
  expect(fn.body).toMatchObject({ code: 'BODY_TOO_LARGE', message: expect.stringMatching(/16 MiB/) });
  const sim = h.stack.simulatorUrl;
  const pay = await raw(sim, '/__sim/pay', 'POST', { host: hostOf(sim), 'content-type': 'application/json' }, Buffer.alloc((1 << 20) + 1, 0x20));
  expect(pay.status).toBe(413);
  expect(pay.body).toMatchObject({ code: 'BODY_TOO_LARGE', message: expect.stringMatching(/1 MiB/) });
  expect((await raw(cb, '/__emulator/health', 'GET', { host: hostOf(cb) })).status).toBe(200);
  expect((await h.sim('GET', '/__sim/faults')).faults).toBeDefined();
});
