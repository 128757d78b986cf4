/**
 * The bad-notification corpus POSTed to the real payNotify (esbuild bundle, CloudBase emulator HTTP
 * access): anything unverified → 401 and not one byte written; genuine-but-wrong (another merchant,
 * app, amount, currency, payer, no payer, an unknown order, an unknown event type) → 204, recorded
 * in the audit log (an anomaly naming the mismatch), and the order untouched.
 */
import { badNotifications, transactionResource, UNKNOWN_OUT_TRADE_NO, type Keys } from './notify-corpus';
import { startHarness, type Harness } from '../e2e/harness';
import { readAll } from '../../scripts/chaos/snapshot';

jest.setTimeout(180_000);

/**
 * Over HTTP the stale/future cases are 330 s off, not 301: a message built here ages until payNotify
 * reads it (function queueing on a loaded machine), and "301 s ahead" could arrive inside the window.
 * The exact 301 s boundary is covered with an injected clock by notify-parser.test.ts.
 */
const SKEW_SECONDS = 330;
const DAVE = 'oDAVE000000000000000000004';
let h: Harness;
let keys: Keys;
let order: { outTradeNo: string; openid: string; total: number };

beforeAll(async () => {
  // A generous function timeout: a cold start on a loaded machine is not what this test is about.
  h = await startHarness({ functionTimeoutMs: 20_000 });
  const c = h.stack.credentials;
  keys = { apiV3Key: c.apiV3Key, platformPrivateKey: c.platform.privateKey, serial: c.platform.serial, appid: c.appid, mchid: c.mchid };
  const created = await h.call('createOrder', { items: [{ productId: 'coffee', quantity: 1 }] }, DAVE);
  order = { outTradeNo: created.outTradeNo, openid: DAVE, total: created.amount.total };
});
afterAll(async () => {
  await h?.close();
});

async function post(headers: Record<string, string>, body: string, method = 'POST'): Promise<number> {
  const res = await fetch(`${h.stack.cloudbaseUrl}/pay/notify`, { method, headers: { 'content-type': 'application/json', ...headers }, body: method === 'GET' ? undefined : body });
  await res.text();
  return res.status;
}

const snapshot = async () => ({ orders: JSON.stringify(await readAll(h.stack.admin, 'orders')), events: await readAll(h.stack.admin, 'payment_events') });

it('every unverified notification gets 401 and writes nothing; genuine-but-wrong ones get 204 and change no order', async () => {
  const cases = badNotifications(keys, transactionResource(keys, order), Date.now(), { skewSeconds: SKEW_SECONDS });
  const seen: Array<[string, number]> = [];
  for (const [i, stale] of cases.entries()) {
    const before = await snapshot();
    // Built right before sending too, so the skew is measured from the moment it leaves.
    const c = stale.name.startsWith('timestamp') ? badNotifications(keys, transactionResource(keys, order), Date.now(), { skewSeconds: SKEW_SECONDS })[i] : stale;
    const status = await post(c.headers, c.body);
    seen.push([c.name, status]);
    const after = await snapshot();
    expect([c.name, status]).toEqual([c.name, c.status]);
    expect([c.name, after.orders]).toEqual([c.name, before.orders]);
    const added = after.events.filter((e) => !before.events.some((b) => b._id === e._id));
    if (c.status === 401) expect([c.name, added]).toEqual([c.name, []]);
    else expect([c.name, added.map((e) => e.kind).sort()]).toEqual([c.name, expect.arrayContaining([expect.stringMatching(/^(anomaly|notification)$/)])]);
    if (c.anomaly) {
      // Recorded as exactly one anomaly naming what is wrong, against the order it claimed to pay.
      const anomalies = added.filter((e) => e.kind === 'anomaly');
      const claimed = c.name.includes('unknown out_trade_no') ? UNKNOWN_OUT_TRADE_NO : order.outTradeNo;
      expect([c.name, anomalies.map((e) => ({ detail: e.detail, outTradeNo: e.outTradeNo }))]).toEqual([c.name, [{ detail: expect.stringMatching(c.anomaly), outTradeNo: claimed }]]);
    }
  }
  expect(seen).toHaveLength(cases.length);
  expect((await h.order(order.outTradeNo)).status).toBe('NOTPAY');
});

it('a GET is 405 and writes nothing', async () => {
  const before = await snapshot();
  expect(await post({}, '', 'GET')).toBe(405);
  expect(await snapshot()).toEqual(before);
});
