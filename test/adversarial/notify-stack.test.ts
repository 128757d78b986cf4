/**
 * The bad-notification corpus POSTed to the real payNotify (esbuild bundle, CloudBase emulator HTTP
 * access): anything unverified → 401 and not one byte written; genuine-but-wrong (another merchant,
 * app, amount, an unknown event type) → 204, recorded in the audit log, and the order untouched.
 */
import { badNotifications, transactionResource, type Keys } from './notify-corpus';
import { startHarness, type Harness } from '../e2e/harness';
import { readAll } from '../../scripts/chaos/snapshot';

jest.setTimeout(180_000);

/** How long a request may take to reach payNotify here (function queueing on a loaded machine). */
const DELIVERY_ALLOWANCE_MS = 5_000;
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
  const cases = badNotifications(keys, transactionResource(keys, order));
  const seen: Array<[string, number]> = [];
  for (const [i, stale] of cases.entries()) {
    const before = await snapshot();
    // Built right before sending: a ±301 s timestamp must still be 301 s off when it arrives.
    const c = stale.name.startsWith('timestamp') ? badNotifications(keys, transactionResource(keys, order), Date.now(), DELIVERY_ALLOWANCE_MS)[i] : stale;
    const status = await post(c.headers, c.body);
    seen.push([c.name, status]);
    const after = await snapshot();
    expect([c.name, status]).toEqual([c.name, c.status]);
    expect([c.name, after.orders]).toEqual([c.name, before.orders]);
    const added = after.events.filter((e) => !before.events.some((b) => b._id === e._id));
    if (c.status === 401) expect([c.name, added]).toEqual([c.name, []]);
    else expect([c.name, added.map((e) => e.kind).sort()]).toEqual([c.name, expect.arrayContaining([expect.stringMatching(/^(anomaly|notification)$/)])]);
  }
  expect(seen).toHaveLength(cases.length);
  expect((await h.order(order.outTradeNo)).status).toBe('NOTPAY');
});

it('a GET is 405 and writes nothing', async () => {
  const before = await snapshot();
  expect(await post({}, '', 'GET')).toBe(405);
  expect(await snapshot()).toEqual(before);
});
