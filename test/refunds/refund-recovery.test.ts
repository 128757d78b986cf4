/**
 * Refund outcomes and recovery end to end: REFUND.* notifications verified and applied through
 * payNotify (forgeries rejected, mismatches recorded, duplicates applied once), ABNORMAL and
 * CLOSED outcomes, a lost notification and a WeChat Pay outage recovered by the timer.
 */
import { generateKeyPairSync } from 'crypto';
import { harnessPerFile, type Harness } from '../e2e/harness';
import { ALICE, ledger, orderRefunded, paidOrder, postNotify, refund, refundDoc, refundNotification, refundSettled, startRefundHarness, submitQueuedRefunds } from './helpers';

jest.setTimeout(60_000);

let h: Harness;
harnessPerFile(async () => (h = await startRefundHarness()), { resetSimFaults: true });

/** A refund WeChat Pay has finished while its notification never reached us. */
async function refundWithLostNotification(amount = 1000): Promise<{ order: any; answer: any }> {
  const order = await paidOrder(h);
  await h.sim('POST', '/__sim/faults', { dropNotifications: 1 });
  const answer = await refund(h, { outTradeNo: order.outTradeNo, amount, reason: 'Lost' });
  expect(answer.error).toBeUndefined();
  await h.waitFor('refund finished at WeChat Pay', async () => (await ledger(h, order.outTradeNo)).refunds[0]?.status === 'SUCCESS');
  expect((await refundDoc(h, answer.refund.outRefundNo)).status).toBe('PROCESSING');
  return { order, answer };
}

function resourceFor(order: any, doc: any, patch: object = {}) {
  const c = h.stack.credentials;
  return {
    mchid: c.mchid, out_trade_no: order.outTradeNo, transaction_id: order.transactionId, out_refund_no: doc.outRefundNo,
    refund_id: doc.refundId, refund_status: 'SUCCESS', success_time: new Date().toISOString(), user_received_account: '支付用户零钱',
    amount: { total: order.amount.total, refund: doc.amount, payer_total: order.amount.total, payer_refund: doc.amount },
    ...patch,
  };
}

describe('refund notifications and recovery', () => {
  it('forged refund notifications are rejected with 401; mismatched or unknown ones are recorded and change nothing', async () => {
    const { order, answer } = await refundWithLostNotification();
    const doc = await refundDoc(h, answer.refund.outRefundNo);
    const eventsBefore = await h.stack.admin.count('payment_events', {});
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

    const forged = refundNotification(h, 'REFUND.SUCCESS', resourceFor(order, doc), attacker);
    expect(await postNotify(h, forged.headers, forged.body)).toBe(401);
    const genuine = refundNotification(h, 'REFUND.SUCCESS', resourceFor(order, doc));
    expect(await postNotify(h, { ...genuine.headers, 'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${genuine.headers['Wechatpay-Signature']}` }, genuine.body)).toBe(401);
    expect(await postNotify(h, genuine.headers, genuine.body.replace('"REFUND.SUCCESS"', '"REFUND.CLOSED"'))).toBe(401);
    expect(await h.stack.admin.count('payment_events', {})).toBe(eventsBefore);

    const wrongAmount = refundNotification(h, 'REFUND.SUCCESS', resourceFor(order, doc, { amount: { total: 3600, refund: 3600 } }));
    expect(await postNotify(h, wrongAmount.headers, wrongAmount.body)).toBe(204);
    const unknown = refundNotification(h, 'REFUND.SUCCESS', resourceFor(order, doc, { out_refund_no: `${order.outTradeNo}-Rffffffffffffffff` }));
    expect(await postNotify(h, unknown.headers, unknown.body)).toBe(204);
    expect((await refundDoc(h, doc.outRefundNo)).status).toBe('PROCESSING');
    expect((await h.order(order.outTradeNo)).refundedTotal).toBeUndefined();
    const anomalies = await h.stack.admin.find('payment_events', { kind: 'anomaly', outTradeNo: order.outTradeNo });
    expect(anomalies.map((e: any) => e.detail).join('\n')).toMatch(/refund amount 3600 differs from the 1000 we asked for[\s\S]*unknown refund/);

    // The genuine notification, delivered three times: one transition, counted once.
    for (let i = 0; i < 3; i += 1) expect(await postNotify(h, genuine.headers, genuine.body)).toBe(204);
    const settled = await refundDoc(h, doc.outRefundNo);
    expect(settled).toMatchObject({ status: 'SUCCESS', transitions: [expect.objectContaining({ from: 'PROCESSING', to: 'SUCCESS', source: 'notify' })] });
    expect(await h.order(order.outTradeNo)).toMatchObject({ status: 'SUCCESS', refundedTotal: 1000, refundsSettled: [doc.outRefundNo] });
  });

  it('duplicate and concurrent REFUND.SUCCESS deliveries from WeChat Pay apply once', async () => {
    await h.sim('POST', '/__sim/faults', { duplicateNotifications: 4, concurrentDuplicates: true });
    const order = await paidOrder(h);
    const answer = await refund(h, { outTradeNo: order.outTradeNo, reason: 'Dup' });
    await refundSettled(h, answer.refund.outRefundNo);
    await h.waitFor('all refund deliveries acknowledged', async () => {
      const { notifications } = await h.sim('GET', `/__sim/notifications?out_trade_no=${order.outTradeNo}`);
      const refundDeliveries = notifications.filter((n: any) => n.event_type.startsWith('REFUND.'));
      return refundDeliveries.length === 1 && refundDeliveries[0].state === 'delivered';
    });
    const after = await h.order(order.outTradeNo);
    expect(after).toMatchObject({ status: 'REFUND', refundedTotal: 3600 });
    expect(after.transitions.filter((t: any) => t.to === 'REFUND')).toHaveLength(1);
    expect(await h.stack.admin.count('payment_events', { outTradeNo: order.outTradeNo, kind: 'refund' })).toBe(1);
  });

  it('an ABNORMAL refund keeps its amount held and refunds nothing until WeChat Pay settles it', async () => {
    await h.sim('POST', '/__sim/faults', { refundOutcome: 'ABNORMAL' });
    const order = await paidOrder(h);
    const answer = await refund(h, { outTradeNo: order.outTradeNo, amount: 2000, reason: 'Card closed' });
    const doc = await refundSettled(h, answer.refund.outRefundNo, 'ABNORMAL');
    expect(doc.successTime).toBeUndefined();
    expect(await h.order(order.outTradeNo)).toMatchObject({ status: 'SUCCESS', refundReserved: 2000 });
    expect((await h.order(order.outTradeNo)).refundedTotal).toBeUndefined();
    // The payer's order view says the refund is stuck (the order's bookkeeping follows the refund).
    await h.waitFor('ABNORMAL noted on the order', async () => (await h.order(order.outTradeNo)).refundsAbnormal?.includes(doc.outRefundNo));
    const listed = (await h.call('listOrders', {}, ALICE)).orders.find((o: any) => o.outTradeNo === order.outTradeNo);
    expect(listed).toMatchObject({ status: 'SUCCESS', refundPending: 2000, refunds: [{ amount: 2000, status: 'ABNORMAL', requestedAt: expect.any(String) }] });
    // The held amount cannot be refunded a second time meanwhile.
    const rest = await refund(h, { outTradeNo: order.outTradeNo, amount: 1601, reason: 'More' });
    expect(rest.error.message).toMatch(/Only 1600 fen/);
    // Settled by hand at WeChat Pay later: REFUND.SUCCESS moves ABNORMAL → SUCCESS.
    const later = refundNotification(h, 'REFUND.SUCCESS', resourceFor(order, doc));
    expect(await postNotify(h, later.headers, later.body)).toBe(204);
    expect((await refundDoc(h, doc.outRefundNo)).transitions.map((t: any) => `${t.from}>${t.to}`)).toEqual(['PROCESSING>ABNORMAL', 'ABNORMAL>SUCCESS']);
    expect((await h.order(order.outTradeNo)).refundedTotal).toBe(2000);
    expect(await h.call('queryOrder', { outTradeNo: order.outTradeNo }, ALICE)).toMatchObject({ refundedTotal: 2000, refunds: [{ amount: 2000, status: 'SUCCESS' }] });
  });

  it('a CLOSED refund gives its amount back; asking again needs a new requestKey', async () => {
    await h.sim('POST', '/__sim/faults', { refundOutcome: 'CLOSED' });
    const order = await paidOrder(h);
    const data = { outTradeNo: order.outTradeNo, reason: 'Closed' };
    const answer = await refund(h, data);
    await refundSettled(h, answer.refund.outRefundNo, 'CLOSED');
    const released = await h.waitFor('reservation released', async () => {
      const o = await h.order(order.outTradeNo);
      return o.refundReserved === 0 && o;
    });
    expect(released).toMatchObject({ status: 'SUCCESS', refundsReleased: [answer.refund.outRefundNo] });
    expect(await refund(h, data)).toMatchObject({ replayed: true, refund: { status: 'CLOSED' } });
    const seen = await h.call('queryOrder', { outTradeNo: order.outTradeNo }, ALICE);
    expect(seen).toMatchObject({ status: 'SUCCESS', refunds: [{ amount: 3600, status: 'CLOSED' }] });
    expect(seen.refundPending).toBeUndefined();

    await h.sim('POST', '/__sim/faults', {});
    const retry = await refund(h, { ...data, requestKey: 'second-try' });
    await submitQueuedRefunds(h, order.outTradeNo);
    await refundSettled(h, retry.refund.outRefundNo);
    expect(await h.waitFor('REFUND', async () => (await h.order(order.outTradeNo)).status === 'REFUND')).toBe(true);
    expect((await ledger(h, order.outTradeNo)).refunded).toBe(3600);
  });

  it('a lost refund notification is recovered by the reconciliation timer', async () => {
    const { order, answer } = await refundWithLostNotification(1500);
    // Meanwhile the payer sees the refund in progress.
    const pending = await h.call('queryOrder', { outTradeNo: order.outTradeNo }, ALICE);
    expect(pending).toMatchObject({ status: 'SUCCESS', refundPending: 1500, refunds: [{ amount: 1500, status: 'PROCESSING' }] });
    expect(pending.refundedTotal).toBeUndefined();
    const fired = await h.trigger('queryOrder');
    expect(JSON.stringify(fired)).toMatch(/"refunds":\{[^}]*"succeeded":[1-9]/);
    const doc = await refundDoc(h, answer.refund.outRefundNo);
    expect(doc).toMatchObject({ status: 'SUCCESS', refundId: answer.refund.refundId });
    expect(doc.transitions).toEqual([expect.objectContaining({ from: 'PROCESSING', to: 'SUCCESS', source: 'reconcile' })]);
    expect((await h.order(order.outTradeNo)).refundedTotal).toBe(1500);
    await h.trigger('queryOrder');
    expect((await h.order(order.outTradeNo)).refundedTotal).toBe(1500);
    const settled = await h.call('queryOrder', { outTradeNo: order.outTradeNo }, ALICE);
    expect(settled).toMatchObject({ refundedTotal: 1500, refunds: [{ amount: 1500, status: 'SUCCESS' }] });
    expect(settled.refundPending).toBeUndefined();
  });

  it('WeChat Pay down during the request: the refund is held, the same request or the timer submits it once', async () => {
    const order = await paidOrder(h);
    await h.sim('POST', '/__sim/faults', { systemErrorRate: 1 });
    const failed = await refund(h, { outTradeNo: order.outTradeNo, amount: 700, reason: 'Outage' });
    expect(failed.error).toMatchObject({ code: 'PAYMENT_PROVIDER_UNAVAILABLE', retryable: true });
    const [held]: any[] = await h.stack.admin.find('refunds', { outTradeNo: order.outTradeNo });
    expect(held).toMatchObject({ status: 'PROCESSING', refundId: null, amount: 700 });
    expect((await h.order(order.outTradeNo)).refundReserved).toBe(700);
    expect((await ledger(h, order.outTradeNo)).refunds).toHaveLength(0);

    await h.sim('POST', '/__sim/faults', {});
    const fired = await h.trigger('queryOrder');
    expect(fired.result.refunds.resubmitted).toBeGreaterThanOrEqual(1);
    await refundSettled(h, held.outRefundNo);
    // Staff retrying afterwards changes nothing.
    expect(await refund(h, { outTradeNo: order.outTradeNo, amount: 700, reason: 'Outage' })).toMatchObject({ replayed: true, refund: { status: 'SUCCESS' } });
    expect((await ledger(h, order.outTradeNo)).refunds).toHaveLength(1);
    expect((await orderRefunded(h, order.outTradeNo, 700)).refundReserved).toBe(700);
  });

  it('an order paid before refunds existed (no refund counters) is refundable', async () => {
    const order = await paidOrder(h);
    await h.stack.admin.send('database.modifyDocument', {
      collectionName: 'orders', queryType: 'WHERE', multi: false, merge: true, upsert: false,
      query: JSON.stringify({ _id: order.outTradeNo }), data: JSON.stringify({ $unset: { refundReserved: '', refundCount: '' } }),
    });
    const answer = await refund(h, { outTradeNo: order.outTradeNo, amount: 100, reason: 'Legacy' });
    await refundSettled(h, answer.refund.outRefundNo);
    const after = await orderRefunded(h, order.outTradeNo, 100);
    expect(after).toMatchObject({ status: 'SUCCESS', refundReserved: 100, refundCount: 1 });
  });
});
