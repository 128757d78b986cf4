/**
 * refundOrder end to end on the real local stack (esbuild-built functions, real wx-server-sdk,
 * CloudBase emulator, WeChat Pay simulator): full and partial refunds, the money rules, idempotent
 * retries and concurrent requests that never refund more than was paid.
 */
import { harnessPerFile, type Harness } from '../e2e/harness';
import { ALICE, OTHER_STAFF, STAFF, ledger, orderRefunded, paidOrder, patchOrder, refund, refundSettled, startRefundHarness, submitQueuedRefunds } from './helpers';

jest.setTimeout(60_000);

let h: Harness;
harnessPerFile(async () => (h = await startRefundHarness()));

describe('refundOrder', () => {
  it('a full refund (no amount) refunds the paid total; the order becomes REFUND and the payer sees it', async () => {
    const order = await paidOrder(h);
    const answer = await refund(h, { outTradeNo: order.outTradeNo, reason: 'Out of stock' });
    expect(answer.error).toBeUndefined();
    expect(answer.replayed).toBe(false);
    expect(answer.refund).toMatchObject({ outTradeNo: order.outTradeNo, amount: 3600, reason: 'Out of stock', refundId: expect.stringMatching(/^50\d+$/) });
    expect(answer.refund.outRefundNo).toMatch(new RegExp(`^${order.outTradeNo}-R[0-9a-f]{16}$`));

    const doc = await refundSettled(h, answer.refund.outRefundNo);
    expect(doc).toMatchObject({ outTradeNo: order.outTradeNo, amount: 3600, reason: 'Out of stock', status: 'SUCCESS', requestedBy: STAFF, refundId: answer.refund.refundId });
    expect(doc.successTime).toBeInstanceOf(Date);
    expect(doc.createdAt).toBeInstanceOf(Date);
    expect(doc.transitions).toEqual([expect.objectContaining({ from: 'PROCESSING', to: 'SUCCESS', source: 'notify' })]);
    const after = await h.waitFor('order REFUND', async () => {
      const o = await h.order(order.outTradeNo);
      return o.status === 'REFUND' && o;
    });
    expect(after).toMatchObject({ refundedTotal: 3600, refundReserved: 3600, refundCount: 1 });
    expect(after.transitions.map((t: any) => `${t.from}>${t.to}`)).toEqual(['NOTPAY>SUCCESS', 'SUCCESS>REFUND']);
    expect((await ledger(h, order.outTradeNo)).refunded).toBe(3600);

    const seen = await h.call('queryOrder', { outTradeNo: order.outTradeNo }, ALICE);
    expect(seen).toMatchObject({ status: 'REFUND', refundedTotal: 3600 });
    const listed = (await h.call('listOrders', {}, ALICE)).orders.find((o: any) => o.outTradeNo === order.outTradeNo);
    expect(listed).toMatchObject({ status: 'REFUND', refundedTotal: 3600 });
    // Refunding again is a retry of the same full refund, not a second one.
    const again = await refund(h, { outTradeNo: order.outTradeNo, reason: 'Out of stock' });
    expect(again).toMatchObject({ replayed: true, refund: { outRefundNo: answer.refund.outRefundNo, status: 'SUCCESS' } });
    expect((await ledger(h, order.outTradeNo)).refunds).toHaveLength(1);
  });

  it('a partial refund leaves the order SUCCESS with refundedTotal', async () => {
    const order = await paidOrder(h);
    const answer = await refund(h, { outTradeNo: order.outTradeNo, amount: 1000, reason: 'One cup spilled' });
    await refundSettled(h, answer.refund.outRefundNo);
    const after = await orderRefunded(h, order.outTradeNo, 1000);
    expect(after.status).toBe('SUCCESS');
    expect(await h.call('queryOrder', { outTradeNo: order.outTradeNo }, ALICE)).toMatchObject({ status: 'SUCCESS', refundedTotal: 1000 });
  });

  it('two partial refunds summing to the total make the order REFUND, exactly once', async () => {
    const order = await paidOrder(h);
    const first = await refund(h, { outTradeNo: order.outTradeNo, amount: 1000, reason: 'Late' });
    const second = await refund(h, { outTradeNo: order.outTradeNo, amount: 2600, reason: 'Cold' }, OTHER_STAFF);
    expect(first.refund.outRefundNo).not.toBe(second.refund.outRefundNo);
    await submitQueuedRefunds(h, order.outTradeNo);
    await refundSettled(h, first.refund.outRefundNo);
    await refundSettled(h, second.refund.outRefundNo);
    const after = await h.waitFor('order REFUND', async () => {
      const o = await h.order(order.outTradeNo);
      return o.status === 'REFUND' && o;
    });
    expect(after.refundedTotal).toBe(3600);
    expect(after.transitions.filter((t: any) => t.to === 'REFUND')).toHaveLength(1);
    expect((await ledger(h, order.outTradeNo)).refunded).toBe(3600);
    const events = await h.stack.admin.find('payment_events', { outTradeNo: order.outTradeNo, kind: 'refund' });
    expect(events.map((e: any) => e.detail).sort()).toEqual(['PROCESSING → SUCCESS', 'PROCESSING → SUCCESS']);
    const more = await refund(h, { outTradeNo: order.outTradeNo, amount: 1, reason: 'More' });
    expect(more.error).toMatchObject({ code: 'REFUND_NOT_ALLOWED', message: expect.stringMatching(/fully refunded/) });
  });

  it('an over-refund is refused with the refundable amount, and nothing changes', async () => {
    const order = await paidOrder(h);
    const tooMuch = await refund(h, { outTradeNo: order.outTradeNo, amount: 3601, reason: 'Too much' });
    expect(tooMuch.error).toEqual({ code: 'REFUND_NOT_ALLOWED', message: expect.stringMatching(/Only 3600 fen of 3600/), retryable: false });
    const part = await refund(h, { outTradeNo: order.outTradeNo, amount: 1000, reason: 'Part' });
    await refundSettled(h, part.refund.outRefundNo);
    const before = await orderRefunded(h, order.outTradeNo, 1000);
    const over = await refund(h, { outTradeNo: order.outTradeNo, amount: 2601, reason: 'Over' });
    expect(over.error.message).toMatch(/Only 2600 fen of 3600 can still be refunded/);
    expect(await h.order(order.outTradeNo)).toEqual(before);
    expect(await h.stack.admin.count('refunds', { outTradeNo: order.outTradeNo })).toBe(1);
    expect((await ledger(h, order.outTradeNo)).refunded).toBe(1000);
  });

  it('concurrent refund requests never reserve or refund more than was paid', async () => {
    const order = await paidOrder(h);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => refund(h, { outTradeNo: order.outTradeNo, amount: 1000, reason: 'Rush', requestKey: `rush-${i}` }, i % 2 ? STAFF : OTHER_STAFF)),
    );
    const ok = answers.filter((a) => !a.error);
    expect(ok).toHaveLength(3);
    expect(answers.filter((a) => a.error?.code === 'REFUND_NOT_ALLOWED')).toHaveLength(5);
    await submitQueuedRefunds(h, order.outTradeNo);
    for (const a of ok) await refundSettled(h, a.refund.outRefundNo);
    const after = await h.waitFor('3 settled', async () => {
      const o = await h.order(order.outTradeNo);
      return o.refundedTotal === 3000 && o;
    });
    expect(after).toMatchObject({ refundReserved: 3000, refundCount: 3, status: 'SUCCESS' });
    expect((await ledger(h, order.outTradeNo)).refunded).toBe(3000);
    expect(await h.stack.admin.count('refunds', { outTradeNo: order.outTradeNo })).toBe(3);

    // Many identical full-refund requests at once: one refund of the remaining 600.
    const fulls = await Promise.all(Array.from({ length: 6 }, () => refund(h, { outTradeNo: order.outTradeNo, reason: 'Rest' })));
    expect(fulls.every((a) => !a.error)).toBe(true);
    expect(new Set(fulls.map((a) => a.refund.outRefundNo)).size).toBe(1);
    expect(fulls[0].refund.amount).toBe(600);
    await submitQueuedRefunds(h, order.outTradeNo);
    await refundSettled(h, fulls[0].refund.outRefundNo);
    const { refunds, refunded } = await ledger(h, order.outTradeNo);
    expect(refunded).toBe(3600);
    expect(refunds).toHaveLength(4);
  });

  it('repeating a request is idempotent; reusing its key for a different refund is refused', async () => {
    const order = await paidOrder(h);
    const data = { outTradeNo: order.outTradeNo, amount: 500, reason: 'Wrong size' };
    const first = await refund(h, data);
    const second = await refund(h, data);
    expect(second).toMatchObject({ replayed: true, refund: { outRefundNo: first.refund.outRefundNo, amount: 500 } });
    await refundSettled(h, first.refund.outRefundNo);
    expect(await refund(h, data)).toMatchObject({ replayed: true, refund: { status: 'SUCCESS' } });
    expect((await ledger(h, order.outTradeNo)).refunds).toHaveLength(1);
    await orderRefunded(h, order.outTradeNo, 500);

    // The same amount again is a new refund only with its own requestKey.
    const keyed = await refund(h, { ...data, requestKey: 'second-cup' });
    expect(keyed.refund.outRefundNo).not.toBe(first.refund.outRefundNo);
    const reused = await refund(h, { ...data, amount: 700, requestKey: 'second-cup' });
    expect(reused.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/new requestKey/) });
    await submitQueuedRefunds(h, order.outTradeNo);
    await refundSettled(h, keyed.refund.outRefundNo);
    await orderRefunded(h, order.outTradeNo, 1000);
    expect((await ledger(h, order.outTradeNo)).refunded).toBe(1000);
  });

  it('only staff in REFUND_ADMIN_OPENIDS may refund; the payer cannot refund their own order', async () => {
    const order = await paidOrder(h);
    for (const who of [ALICE, 'oSOMEONE0000000000000000003']) {
      const refused = await refund(h, { outTradeNo: order.outTradeNo, reason: 'Please' }, who);
      expect(refused.error).toEqual({ code: 'FORBIDDEN', message: expect.stringMatching(/staff only.*REFUND_ADMIN_OPENIDS/), retryable: false });
    }
    expect(await h.stack.admin.count('refunds', { outTradeNo: order.outTradeNo })).toBe(0);
    expect((await ledger(h, order.outTradeNo)).refunded).toBe(0);
  });

  it('refuses bad input, unknown and unpaid orders, orders paid over a year ago, and the 51st refund', async () => {
    const bad = [{}, { outTradeNo: 'x', reason: 'r' }, { outTradeNo: 'K0000000', reason: '' }, { outTradeNo: 'K0000000', reason: 'r', amount: 0 }, { outTradeNo: 'K0000000', reason: 'r', amount: 1.5 }, { outTradeNo: 'K0000000', reason: 'r', requestKey: 'no spaces' }];
    for (const data of bad) expect((await refund(h, data)).error.code).toBe('INVALID_INPUT');
    expect((await refund(h, { outTradeNo: 'K0000000', reason: 'r' })).error.code).toBe('ORDER_NOT_FOUND');
    const unpaid = await h.call('createOrder', { items: [{ productId: 'tea', quantity: 1 }] }, ALICE);
    expect((await refund(h, { outTradeNo: unpaid.outTradeNo, reason: 'r' })).error).toMatchObject({ code: 'REFUND_NOT_ALLOWED', message: expect.stringMatching(/NOTPAY, not paid/) });

    const old = await paidOrder(h);
    await patchOrder(h, old.outTradeNo, { paidAt: { $date: { $numberLong: String(Date.now() - 366 * 24 * 3600_000) } } });
    expect((await refund(h, { outTradeNo: old.outTradeNo, reason: 'r' })).error.message).toMatch(/more than a year ago/);

    const busy = await paidOrder(h);
    await patchOrder(h, busy.outTradeNo, { refundCount: 50, refundReserved: 0 });
    expect((await refund(h, { outTradeNo: busy.outTradeNo, amount: 1, reason: 'r' })).error.message).toMatch(/already has 50 refunds/);
    expect(await h.stack.admin.count('refunds', { outTradeNo: busy.outTradeNo })).toBe(0);
  });
});
