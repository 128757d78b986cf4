/**
 * Function settings on the real stack: ORDER_EXPIRE_MINUTES reaches createOrder through the
 * function environment (as on a deployment) and decides both the order's expiresAt and the
 * time_expire WeChat Pay is given, so an order cannot be paid at WeChat after we consider it expired.
 */
import { harnessPerFile, startHarness, type Harness } from './harness';
import { ALICE, newOrder } from './loop-helpers';

jest.setTimeout(60_000);

let h: Harness;
harnessPerFile(async () => (h = await startHarness({ functionEnv: { ORDER_EXPIRE_MINUTES: '2' } })));

it("ORDER_EXPIRE_MINUTES='2': expiresAt is 120 s after createdAt, and WeChat Pay's time_expire is that same instant", async () => {
  const created = await newOrder(h, ALICE);
  const order = await h.order(created.outTradeNo);
  const expiresAt = new Date(order.expiresAt).getTime();
  expect(expiresAt - new Date(order.createdAt).getTime()).toBe(120_000);

  // The simulator's record of the prepay request (its in-process handle: the ledger has no time_expire).
  const atWechat = [...h.stack.simulator.state.orders.values()].find((o) => o.out_trade_no === created.outTradeNo);
  expect(atWechat?.time_expire).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  // RFC3339 carries whole seconds: the same instant, to the second.
  expect(Date.parse(atWechat!.time_expire!)).toBe(Math.floor(expiresAt / 1000) * 1000);
  expect((await h.call('queryOrder', { outTradeNo: created.outTradeNo }, ALICE)).expiresAt).toBe(new Date(expiresAt).toISOString());
});
