/**
 * A write failure between a refund's transition (or the order's SUCCESS → REFUND) and its audit
 * record must not lose the record: payNotify answers 500, WeChat Pay retries, and the retry finds
 * the step already applied. The same bug as test/chaos/audit.test.ts, on the refund side. Real SDK
 * on the CloudBase emulator and the real simulator; the one failure is injected by wrapping the
 * database handle the refund logic is given.
 */
import type { WechatSimulator } from '../../emulator/wechat';
import { createOrder } from '../../lib/orders/create';
import type { WxTransaction } from '../../lib/orders/deps';
import { COLLECTIONS } from '../../lib/store/collections';
import { syncOrderWithTransaction } from '../../lib/orders/sync';
import { applyFullyRefunded } from '../../lib/orders/transition';
import type { RefundDeps } from '../../lib/refunds/deps';
import type { Refund } from '../../lib/refunds/model';
import { reconcileRefunds } from '../../lib/refunds/reconcile';
import { requestRefund } from '../../lib/refunds/request';
import { syncRefund } from '../../lib/refunds/sync';
import { createWechatPayClient } from '../../lib/wechatpay';
import type { Harness } from '../cloudbase/helpers';
import { startOrderWorld, type OrderWorld } from '../support/order-world';
import { failingOnce } from '../support/failing-db';

jest.setTimeout(60_000);

const STAFF = 'oSTAFFAUDIT0000000000000001';
let cb: Harness;
let sim: WechatSimulator;
let deps: RefundDeps;
let client: ReturnType<typeof createWechatPayClient>;


async function sim_(path: string, body: object): Promise<void> {
  const res = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await res.text();
}

/** A paid order, fully refunded at WeChat Pay, whose refund we still hold as PROCESSING; returns what WeChat Pay answers for it now. */
async function refundedAtWechat(): Promise<{ outTradeNo: string; refund: Refund; wx: Awaited<ReturnType<typeof client.queryRefund>> }> {
  const created = await createOrder(deps, 'oAUDITBUYER', { kind: 'new', items: [{ productId: 'tea', quantity: 1 }] });
  await sim_('/__sim/pay', { prepay_id: created.payment.package.replace('prepay_id=', '') });
  const tx = (await client.queryByOutTradeNo(created.outTradeNo)) as WxTransaction;
  const [order] = (await cb.db.collection(COLLECTIONS.orders).where({ _id: created.outTradeNo }).get()).data;
  await syncOrderWithTransaction(deps, order, tx, 'notify', `notify:${created.outTradeNo}`);
  const answer = await requestRefund(deps, STAFF, { outTradeNo: created.outTradeNo, reason: 'Audit' });
  expect(answer.refund.status).toBe('PROCESSING');
  await sim_('/__sim/clock', { advanceSeconds: 60 });
  const wx = await client.queryRefund(answer.refund.outRefundNo);
  expect(wx.status).toBe('SUCCESS');
  const { data } = await cb.db.collection(COLLECTIONS.refunds).doc(answer.refund.outRefundNo).get();
  return { outTradeNo: created.outTradeNo, refund: data as Refund, wx };
}

async function auditOf(outTradeNo: string): Promise<string[]> {
  const { data } = await cb.db.collection(COLLECTIONS.paymentEvents).where({ outTradeNo }).get();
  return (data as Array<{ _id: string; kind: string }>).filter((e) => e.kind === 'refund' || e.kind === 'transition').map((e) => e._id).sort();
}

let world: OrderWorld;
beforeAll(async () => {
  // Refund notifications go to an address nobody answers: the test delivers (retries) by hand.
  world = await startOrderWorld();
  ({ cb, sim, client } = world);
  deps = { ...world.deps, refundPay: client, refundSettings: { adminOpenids: new Set([STAFF]), reconcileMinAgeSeconds: 0 } };
});
afterAll(() => world?.close());

describe('refund audit records survive a failed write', () => {
  it('the refund transition record is written by the retry when the first attempt failed after the transition', async () => {
    const { outTradeNo, refund, wx } = await refundedAtWechat();
    const no = refund.outRefundNo;
    await expect(syncRefund({ ...deps, db: failingOnce(deps.db, COLLECTIONS.paymentEvents, 'refund:') }, refund, wx, 'notify', 'notify:r1')).rejects.toThrow(/fault injected/);
    // WeChat Pay retries (payNotify answered 500): the refund's transition is already applied.
    await syncRefund(deps, refund, wx, 'notify', 'notify:r1');

    expect(await auditOf(outTradeNo)).toEqual([`refund:${no}:PROCESSING:SUCCESS`, `transition:${outTradeNo}:NOTPAY:SUCCESS`, `transition:${outTradeNo}:SUCCESS:REFUND`]);
    const [record] = (await cb.db.collection(COLLECTIONS.paymentEvents).where({ _id: `refund:${no}:PROCESSING:SUCCESS` }).get()).data;
    expect(record).toMatchObject({ kind: 'refund', source: 'notify', outRefundNo: no, tradeState: 'SUCCESS', amountTotal: 1200 });
    const { data: after } = await cb.db.collection(COLLECTIONS.refunds).doc(no).get();
    expect(after.transitions).toHaveLength(1);
    const { data: order } = await cb.db.collection(COLLECTIONS.orders).doc(outTradeNo).get();
    expect(order).toMatchObject({ status: 'REFUND', refundedTotal: 1200 });
  });

  it("the order's SUCCESS → REFUND record is written by the retry when the first attempt failed after the order became REFUND", async () => {
    const { outTradeNo, refund, wx } = await refundedAtWechat();
    const no = refund.outRefundNo;
    await expect(syncRefund({ ...deps, db: failingOnce(deps.db, COLLECTIONS.paymentEvents, 'transition:') }, refund, wx, 'notify', 'notify:r2')).rejects.toThrow(/fault injected/);
    const { data: between } = await cb.db.collection(COLLECTIONS.orders).doc(outTradeNo).get();
    expect(between.status).toBe('REFUND');
    await syncRefund(deps, refund, wx, 'notify', 'notify:r2');

    expect(await auditOf(outTradeNo)).toEqual([`refund:${no}:PROCESSING:SUCCESS`, `transition:${outTradeNo}:NOTPAY:SUCCESS`, `transition:${outTradeNo}:SUCCESS:REFUND`]);
    const [record] = (await cb.db.collection(COLLECTIONS.paymentEvents).where({ _id: `transition:${outTradeNo}:SUCCESS:REFUND` }).get()).data;
    expect(record).toMatchObject({ kind: 'transition', source: 'refund', tradeState: 'REFUND' });
    const { data: order } = await cb.db.collection(COLLECTIONS.orders).doc(outTradeNo).get();
    expect(order.transitions.map((t: { to: string }) => t.to)).toEqual(['SUCCESS', 'REFUND']);
  });
});

describe('a refund step whose follow-up failed in the timer is finished by the next timer run', () => {
  it('the record and the order bookkeeping left undone by a failed reconcile sync are completed by reconcileRefunds', async () => {
    const { outTradeNo, refund, wx } = await refundedAtWechat();
    const no = refund.outRefundNo;
    // The timer's sync moves the refund to SUCCESS, then the record write fails: no notification
    // will come (it was lost), and the refund is no longer PROCESSING for the timer to query.
    await expect(syncRefund({ ...deps, db: failingOnce(deps.db, COLLECTIONS.paymentEvents, 'refund:') }, refund, wx, 'reconcile', `reconcile:${no}`)).rejects.toThrow(/fault injected/);
    const { data: between } = await cb.db.collection(COLLECTIONS.orders).doc(outTradeNo).get();
    expect(between).toMatchObject({ status: 'SUCCESS' });
    expect(between.refundedTotal).toBeUndefined();

    const summary = await reconcileRefunds(deps);
    expect(summary).toMatchObject({ failed: 0 });
    expect(summary.booked).toBeGreaterThanOrEqual(1);
    expect(await auditOf(outTradeNo)).toEqual([`refund:${no}:PROCESSING:SUCCESS`, `transition:${outTradeNo}:NOTPAY:SUCCESS`, `transition:${outTradeNo}:SUCCESS:REFUND`]);
    const { data: order } = await cb.db.collection(COLLECTIONS.orders).doc(outTradeNo).get();
    expect(order).toMatchObject({ status: 'REFUND', refundedTotal: 1200, refundsSettled: [no] });
    const { data: after } = await cb.db.collection(COLLECTIONS.refunds).doc(no).get();
    expect(after).toMatchObject({ status: 'SUCCESS', booked: true });
    // Nothing left for the next run.
    expect((await reconcileRefunds(deps)).booked).toBe(0);
  });
});

describe("the order's SUCCESS → REFUND step goes through lib/orders/transition.ts", () => {
  it('applyFullyRefunded applies only once the settled total reaches the paid total, exactly once under concurrency', async () => {
    const created = await createOrder(deps, 'oAUDITBUYER', { kind: 'new', items: [{ productId: 'tea', quantity: 1 }] });
    await sim_('/__sim/pay', { prepay_id: created.payment.package.replace('prepay_id=', '') });
    const tx = (await client.queryByOutTradeNo(created.outTradeNo)) as WxTransaction;
    const [paid] = (await cb.db.collection(COLLECTIONS.orders).where({ _id: created.outTradeNo }).get()).data;
    await syncOrderWithTransaction(deps, paid, tx, 'notify', `notify:${created.outTradeNo}`);
    const orders = cb.db.collection(COLLECTIONS.orders);

    await orders.doc(created.outTradeNo).update({ data: { refundedTotal: 1199 } });
    expect(await applyFullyRefunded(deps.db, paid, { now: Date.now() })).toEqual({ applied: false, to: 'REFUND' });
    await orders.doc(created.outTradeNo).update({ data: { refundedTotal: 1200 } });
    const results = await Promise.all(Array.from({ length: 5 }, () => applyFullyRefunded(deps.db, paid, { now: Date.now() })));
    expect(results.filter((r) => r.applied)).toEqual([{ applied: true, from: 'SUCCESS', to: 'REFUND' }]);

    const { data: order } = await orders.doc(created.outTradeNo).get();
    expect(order.status).toBe('REFUND');
    expect(order.transitions.map((t: { from: string; to: string; source: string }) => `${t.from}>${t.to}:${t.source}`)).toEqual(['NOTPAY>SUCCESS:notify', 'SUCCESS>REFUND:refund']);
  });
});
