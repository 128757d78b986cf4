/**
 * lib/orders against the real pieces, in-process: the unmodified wx-server-sdk on the CloudBase
 * emulator and lib/wechatpay's client on the WeChat Pay simulator. The clock is a parameter here,
 * which lets these tests show the time budget and expiry rules without waiting.
 */
import { startCloudbaseEmulator } from '../../emulator/cloudbase';
import type { WechatSimulator } from '../../emulator/wechat';
import { createOrder } from '../../lib/orders/create';
import type { OrderDeps } from '../../lib/orders/deps';
import { COLLECTIONS } from '../../lib/store/collections';
import { reconcile } from '../../lib/orders/reconcile';
import { loadOrderSettings } from '../../lib/orders/settings';
import { applyTradeState } from '../../lib/orders/transition';
import { createWechatPayClient } from '../../lib/wechatpay';
import type { Harness } from '../cloudbase/helpers';
import { startOrderWorld, type OrderWorld } from '../support/order-world';

jest.setTimeout(60_000);

const OPENID = 'oRECONCILE0000000000000001';
let cb: Harness;
let sim: WechatSimulator;
let clock = Date.now();
let deps: OrderDeps;
let client: ReturnType<typeof createWechatPayClient>;

let world: OrderWorld;
beforeAll(async () => {
  world = await startOrderWorld({
    deps: { settings: loadOrderSettings({ RECONCILE_MIN_AGE_SECONDS: '60', RECONCILE_TIME_BUDGET_MS: '1000', RECONCILE_CONCURRENCY: '1' }), now: () => clock },
  });
  ({ cb, sim, client, deps } = world);
});

afterAll(() => world?.close());

async function status(outTradeNo: string): Promise<string> {
  const { data } = await cb.db.collection(COLLECTIONS.orders).doc(outTradeNo).get();
  return data.status;
}

describe('applyTradeState under concurrency', () => {
  it('twenty concurrent SUCCESS applications make exactly one transition', async () => {
    const { outTradeNo } = await createOrder(deps, OPENID, { kind: 'new', items: [{ productId: 'tea', quantity: 1 }] });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        applyTradeState(deps.db, outTradeNo, { tradeState: 'SUCCESS', transactionId: 'T1' }, { source: i % 2 ? 'notify' : 'reconcile', now: clock }),
      ),
    );
    expect(results.filter((r) => r.applied)).toHaveLength(1);
    const { data } = await cb.db.collection(COLLECTIONS.orders).doc(outTradeNo).get();
    expect(data.status).toBe('SUCCESS');
    expect(data.transitions).toHaveLength(1);
  });

  it('a CLOSED after SUCCESS changes nothing', async () => {
    const { outTradeNo } = await createOrder(deps, OPENID, { kind: 'new', items: [{ productId: 'tea', quantity: 2 }] });
    await applyTradeState(deps.db, outTradeNo, { tradeState: 'SUCCESS', transactionId: 'T2' }, { source: 'notify', now: clock });
    const late = await applyTradeState(deps.db, outTradeNo, { tradeState: 'CLOSED' }, { source: 'reconcile', now: clock });
    expect(late.applied).toBe(false);
    expect(await status(outTradeNo)).toBe('SUCCESS');
  });
});

describe('reconcile', () => {
  it('leaves orders younger than the minimum age alone', async () => {
    const { outTradeNo } = await createOrder(deps, OPENID, { kind: 'new', items: [{ productId: 'tea', quantity: 3 }] });
    const summary = await reconcile(deps);
    expect(summary.checked).toBe(0);
    expect(await status(outTradeNo)).toBe('NOTPAY');
  });

  it('stops at its time budget and resumes with the least recently checked orders next tick', async () => {
    for (let i = 0; i < 10; i++) await createOrder(deps, OPENID, { kind: 'new', items: [{ productId: 'tea', quantity: 5 }] });
    const { data: pendingOrders } = await cb.db.collection(COLLECTIONS.orders).where({ status: 'NOTPAY' }).get();
    const created: string[] = pendingOrders.map((o: { _id: string }) => o._id);
    clock += 120_000; // every pending order is now old enough
    const startedAt = clock;
    const checkedSince = async (): Promise<number> => {
      const { data } = await cb.db.collection(COLLECTIONS.orders).where({ _id: cb.db.command.in(created) }).get();
      return data.filter((o: { lastCheckedAt: Date }) => new Date(o.lastCheckedAt).getTime() > startedAt).length;
    };
    // Each read of the clock costs 150 ms of "work": the 1000 ms budget runs out part-way through.
    const ticking = { ...deps, now: () => (clock += 150) };
    const first = await reconcile(ticking);
    expect(first.truncated).toBe(true);
    expect(first.checked).toBeGreaterThan(0);
    expect(first.checked).toBeLessThan(created.length);
    const afterFirst = await checkedSince();
    expect(afterFirst).toBe(first.checked);
    // The next tick starts with the orders the first one did not reach.
    const second = await reconcile(ticking);
    expect(await checkedSince()).toBe(Math.min(created.length, afterFirst + second.checked));
    for (let tick = 0; tick < 10 && (await checkedSince()) < created.length; tick++) await reconcile(ticking);
    expect(await checkedSince()).toBe(created.length);
  });

  it('queries WeChat Pay with bounded concurrency: more than one at a time, never more than RECONCILE_CONCURRENCY', async () => {
    const limit = 3;
    for (let i = 0; i < 9; i++) await createOrder(deps, OPENID, { kind: 'new', items: [{ productId: 'tea', quantity: 6 }] });
    clock += 120_000;
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    // The real client, wrapped to count overlapping queries. A query waits (up to 2 s) for a second
    // one to start before it goes out, so workers that really run side by side are seen overlapping
    // however slow the machine; with one worker the wait just runs out.
    const arrivals: Array<() => void> = [];
    const counting = {
      ...client,
      paymentParams: client.paymentParams.bind(client),
      jsapiPrepay: client.jsapiPrepay.bind(client),
      closeOrder: client.closeOrder.bind(client),
      async queryByOutTradeNo(outTradeNo: string) {
        calls += 1;
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        arrivals.splice(0).forEach((wake) => wake());
        if (inFlight < 2) await new Promise<void>((resolve) => { arrivals.push(resolve); setTimeout(resolve, 2_000); });
        try {
          return await client.queryByOutTradeNo(outTradeNo);
        } finally {
          inFlight -= 1;
        }
      },
    };
    const settings = loadOrderSettings({ RECONCILE_MIN_AGE_SECONDS: '60', RECONCILE_TIME_BUDGET_MS: '1000', RECONCILE_CONCURRENCY: String(limit) });
    const summary = await reconcile({ ...deps, pay: counting, settings });
    expect(summary.checked).toBeGreaterThanOrEqual(9);
    expect(calls).toBe(summary.checked);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(limit);
  });

  it('closes an order past its expiry at WeChat Pay, then here', async () => {
    const { outTradeNo } = await createOrder(deps, OPENID, { kind: 'new', items: [{ productId: 'tea', quantity: 4 }] });
    clock += 31 * 60_000;
    const summary = await reconcile(deps);
    expect(summary.closed).toBeGreaterThanOrEqual(1);
    expect(await status(outTradeNo)).toBe('CLOSED');
    expect((await client.queryByOutTradeNo(outTradeNo)).trade_state).toBe('CLOSED');
  });
});
