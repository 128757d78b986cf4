/**
 * WeChat Pay takes two refunds of one order at least a minute apart (refund API doc, note 9; the
 * simulator answers a closer one 429 FREQUENCY_LIMITED, code unconfirmed). That refusal means
 * "later": the refund stays PROCESSING with its claim on the order, queued, and the timer submits
 * it — never CLOSED, never lost.
 */
import { harnessPerFile, type Harness } from '../e2e/harness';
import { ALICE, ledger, orderRefunded, paidOrder, refund, refundDoc, refundSettled, startRefundHarness, submitQueuedRefunds } from './helpers';

jest.setTimeout(120_000);

let h: Harness;
harnessPerFile(async () => (h = await startRefundHarness()));

describe('refund spacing', () => {
  it('two partial refunds asked a second apart both end SUCCESS; the second waits queued with its claim held', async () => {
    const order = await paidOrder(h);
    const first = await refund(h, { outTradeNo: order.outTradeNo, amount: 1000, reason: 'Late' });
    await new Promise((r) => setTimeout(r, 1000));
    const second = await refund(h, { outTradeNo: order.outTradeNo, amount: 1200, reason: 'Cold' });
    expect(first.error).toBeUndefined();
    // Not an error for staff: recorded, amount held, waiting for WeChat Pay's minute.
    expect(second.error).toBeUndefined();
    expect(second.refund).toMatchObject({ amount: 1200, status: 'PROCESSING', refundId: null, queued: true });
    expect(second.order).toMatchObject({ status: 'SUCCESS', refundPending: expect.any(Number) });
    const held = await h.order(order.outTradeNo);
    expect(held.refundReserved).toBe(2200);
    expect((await ledger(h, order.outTradeNo)).refunds.map((r: any) => r.amount)).toEqual([1000]);
    expect(h.logs.join('\n')).toContain('refund.queued');

    // A timer run inside the minute leaves it queued (WeChat Pay says "not now" again), not CLOSED.
    await refundSettled(h, first.refund.outRefundNo);
    const early = await h.trigger('queryOrder');
    expect(early.result.refunds).toMatchObject({ resubmitted: 1, deferred: 1, closed: 0, failed: 0 });
    expect(await refundDoc(h, second.refund.outRefundNo)).toMatchObject({ status: 'PROCESSING', refundId: null });

    await submitQueuedRefunds(h, order.outTradeNo);
    await refundSettled(h, second.refund.outRefundNo);
    await orderRefunded(h, order.outTradeNo, 2200);
    expect((await ledger(h, order.outTradeNo)).refunds.map((r: any) => [r.amount, r.status])).toEqual([[1000, 'SUCCESS'], [1200, 'SUCCESS']]);
    const seen = await h.call('queryOrder', { outTradeNo: order.outTradeNo }, ALICE);
    expect(seen.refunds.map((r: any) => [r.amount, r.status])).toEqual([[1000, 'SUCCESS'], [1200, 'SUCCESS']]);
    expect(seen.refundPending).toBeUndefined();
  });

  it('staff repeating the queued request inside the minute gets the same queued refund, nothing twice', async () => {
    const order = await paidOrder(h);
    await refund(h, { outTradeNo: order.outTradeNo, amount: 100, reason: 'One' });
    const data = { outTradeNo: order.outTradeNo, amount: 200, reason: 'Two' };
    const queued = await refund(h, data);
    const again = await refund(h, data);
    expect(again).toMatchObject({ replayed: true, refund: { outRefundNo: queued.refund.outRefundNo, status: 'PROCESSING', queued: true } });
    expect((await h.order(order.outTradeNo)).refundReserved).toBe(300);
    await submitQueuedRefunds(h, order.outTradeNo);
    await refundSettled(h, queued.refund.outRefundNo);
    await orderRefunded(h, order.outTradeNo, 300);
    expect((await ledger(h, order.outTradeNo)).refunded).toBe(300);
  });
});
