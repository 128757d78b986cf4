/**
 * Found by `npm run chaos -- --orders 2000 --seed 2024` (41 orders): a write failure between the
 * order's transition and its audit record lost the record for good, because the retried notification
 * found the transition already applied and wrote nothing. Real SDK on the CloudBase emulator; the one
 * failure is injected by wrapping the database handle the order logic is given.
 */
import type { WechatSimulator } from '../../emulator/wechat';
import { createOrder } from '../../lib/orders/create';
import type { OrderDeps, WxTransaction } from '../../lib/orders/deps';
import { COLLECTIONS } from '../../lib/store/collections';
import { reconcile } from '../../lib/orders/reconcile';
import { syncOrderWithTransaction } from '../../lib/orders/sync';
import { createWechatPayClient } from '../../lib/wechatpay';
import type { Harness } from '../cloudbase/helpers';
import { startOrderWorld, type OrderWorld } from '../support/order-world';
import { failingOnce } from '../support/failing-db';

jest.setTimeout(60_000);

let cb: Harness;
let sim: WechatSimulator;
let deps: OrderDeps;
let client: ReturnType<typeof createWechatPayClient>;


let world: OrderWorld;
beforeAll(async () => {
  world = await startOrderWorld();
  ({ cb, sim, client, deps } = world);
});
afterAll(() => world?.close());

it('the transition audit record is written by the retry when the first attempt failed after the transition', async () => {
  const created = await createOrder(deps, 'oAUDIT', { kind: 'new', items: [{ productId: 'tea', quantity: 1 }] });
  const prepayId = created.payment.package.replace('prepay_id=', '');
  await fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dropNotifications: 1 }) });
  await fetch(`${sim.url}/__sim/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prepay_id: prepayId }) });
  const tx = (await client.queryByOutTradeNo(created.outTradeNo)) as WxTransaction;
  const [order] = (await cb.db.collection(COLLECTIONS.orders).where({ _id: created.outTradeNo }).get()).data;

  await expect(syncOrderWithTransaction({ ...deps, db: failingOnce(deps.db, COLLECTIONS.paymentEvents) }, order, tx, 'notify', 'notify:n1')).rejects.toThrow(/fault injected/);
  // WeChat Pay retries (the notify handler answered 500): the transition is already there.
  await syncOrderWithTransaction(deps, order, tx, 'notify', 'notify:n1');

  const { data: events } = await cb.db.collection(COLLECTIONS.paymentEvents).where({ outTradeNo: created.outTradeNo, kind: 'transition' }).get();
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ _id: `transition:${created.outTradeNo}:NOTPAY:SUCCESS`, transactionId: tx.transaction_id, source: 'notify' });
  const { data: after } = await cb.db.collection(COLLECTIONS.orders).doc(created.outTradeNo).get();
  expect(after.transitions).toHaveLength(1);
});

it('a close whose audit record write failed is completed by the next timer tick (nothing else retries a close)', async () => {
  const created = await createOrder(deps, 'oAUDITCLOSE', { kind: 'new', items: [{ productId: 'tea', quantity: 2 }] });
  // The timer runs after the order's expiry (default 30 minutes).
  const later = { ...deps, now: () => Date.now() + 31 * 60_000, settings: { ...deps.settings, reconcileMinAgeSeconds: 0, reconcileTimeBudgetMs: 60_000 } };
  const transitionsOf = async () => (await cb.db.collection(COLLECTIONS.paymentEvents).where({ outTradeNo: created.outTradeNo, kind: 'transition' }).get()).data;

  const first = await reconcile({ ...later, db: failingOnce(deps.db, COLLECTIONS.paymentEvents) });
  expect(first.failed).toBe(1);
  const { data: closed } = await cb.db.collection(COLLECTIONS.orders).doc(created.outTradeNo).get();
  expect(closed).toMatchObject({ status: 'CLOSED', auditPending: true });
  expect(await transitionsOf()).toEqual([]);

  const second = await reconcile(later);
  expect(second.audited).toBeGreaterThanOrEqual(1);
  const events = await transitionsOf();
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ _id: `transition:${created.outTradeNo}:NOTPAY:CLOSED`, source: 'close', tradeState: 'CLOSED' });
  const { data: after } = await cb.db.collection(COLLECTIONS.orders).doc(created.outTradeNo).get();
  expect(after.auditPending).toBe(false);

  // A close whose record was written at once: the record is there when the tick ends; the mark
  // ("not yet verified by the timer") is cleared by the next tick's audit pass, which writes nothing.
  const other = await createOrder(deps, 'oAUDITCLOSE', { kind: 'new', items: [{ productId: 'tea', quantity: 3 }] });
  await reconcile(later);
  const recordOf = async () => (await cb.db.collection(COLLECTIONS.paymentEvents).where({ outTradeNo: other.outTradeNo, kind: 'transition' }).get()).data;
  const written = await recordOf();
  expect(written).toEqual([expect.objectContaining({ _id: `transition:${other.outTradeNo}:NOTPAY:CLOSED`, source: 'close' })]);
  const verifying = await reconcile(later);
  expect(verifying.audited).toBe(0);
  expect(verifying.verified).toBeGreaterThanOrEqual(1);
  expect(await recordOf()).toEqual(written);
  const { data: closedCleanly } = await cb.db.collection(COLLECTIONS.orders).doc(other.outTradeNo).get();
  expect(closedCleanly).toMatchObject({ status: 'CLOSED', auditPending: false });
});
