/**
 * The payment loop's edges on the real local stack: WeChat Pay ahead of us when the user pays
 * again, our database failing while a notification is handled, and paying again after a failed
 * payment. Driven only through the stack's HTTP interfaces (functions, simulator, database wire).
 */
import { harnessPerFile, startHarness, type Harness } from './harness';
import { ALICE, cloudbaseFaults, newOrder, postNotify, prepayIdOf, setOrderFields, signedNotification, transitionEvents, transactionFor } from './loop-helpers';

jest.setTimeout(60_000);

let h: Harness;
harnessPerFile(async () => (h = await startHarness()));
afterEach(async () => {
  await cloudbaseFaults(h, {});
  await h.sim('POST', '/__sim/faults', {});
});

describe('payment loop edges', () => {
  it('paying again an order WeChat Pay already paid (notification not arrived) answers ORDER_NOT_PAYABLE and syncs the order to SUCCESS', async () => {
    await h.sim('POST', '/__sim/faults', { dropNotifications: 1 });
    const created = await newOrder(h);
    const paid = await h.sim('POST', '/__sim/pay', { prepay_id: prepayIdOf(created) });
    expect(paid.trade_state).toBe('SUCCESS');
    expect((await h.order(created.outTradeNo)).status).toBe('NOTPAY');
    // Our stored prepay has run out, so paying again re-orders the same out_trade_no at WeChat Pay,
    // which answers ORDERPAID.
    await setOrderFields(h, created.outTradeNo, { prepayExpiresAt: new Date(Date.now() - 1000) });

    const again = await h.call('createOrder', { outTradeNo: created.outTradeNo }, ALICE);
    expect(again.error).toMatchObject({ code: 'ORDER_NOT_PAYABLE', retryable: false });
    expect(again.payment).toBeUndefined();
    const order = await h.order(created.outTradeNo);
    expect(order.status).toBe('SUCCESS');
    expect(order.transactionId).toBe(paid.transaction_id);
    expect(order.transitions).toEqual([expect.objectContaining({ from: 'NOTPAY', to: 'SUCCESS', source: 'query' })]);
    expect(await transitionEvents(h, created.outTradeNo)).toHaveLength(1);
    expect(h.logs.some((line) => line.includes('order.prepay_failed') && line.includes('ORDERPAID'))).toBe(true);
  });
});

describe('payNotify when our side fails', () => {
  it('answers 500 while database writes fail (so WeChat Pay retries), then 204 and exactly one transition', async () => {
    const created = await newOrder(h);
    const order = await h.order(created.outTradeNo);
    const n = signedNotification(h, transactionFor(h, order));

    await cloudbaseFaults(h, { writeFailureRate: 1 });
    const failed = await postNotify(h, n.headers, n.body);
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({ code: 'FAIL', message: expect.any(String) });
    await cloudbaseFaults(h, {});
    expect((await h.order(created.outTradeNo)).status).toBe('NOTPAY');

    // WeChat Pay's retry: the same notification again.
    const retried = await postNotify(h, n.headers, n.body);
    expect([200, 204]).toContain(retried.status);
    const after = await h.order(created.outTradeNo);
    expect(after.status).toBe('SUCCESS');
    expect(after.transitions).toEqual([expect.objectContaining({ from: 'NOTPAY', to: 'SUCCESS', source: 'notify' })]);
    expect(await transitionEvents(h, created.outTradeNo)).toHaveLength(1);
  });
});

describe('paying again after a failed payment (JSAPI: the order stays NOTPAY)', () => {
  async function failedPayment(): Promise<any> {
    const created = await newOrder(h);
    const failed = await h.sim('POST', '/__sim/pay', { ...created.payment, result: 'FAIL' });
    expect(failed).toMatchObject({ errMsg: 'requestPayment:fail payment failed', trade_state: 'NOTPAY' });
    // The result page asks queryOrder: WeChat Pay still says NOTPAY (PAYERROR is micropay-only).
    expect((await h.call('queryOrder', { outTradeNo: created.outTradeNo }, ALICE)).status).toBe('NOTPAY');
    return created;
  }

  it('the simulator refuses to make a JSAPI payment PAYERROR', async () => {
    const created = await newOrder(h);
    const res = await fetch(`${h.stack.simulatorUrl}/__sim/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...created.payment, result: 'PAYERROR' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'PARAM_ERROR', message: expect.stringMatching(/never become PAYERROR.*FAIL/) });
  });

  it('a failed payment that has not expired can be paid again with the same out_trade_no', async () => {
    const created = await failedPayment();
    // Our stored prepay has run out too: paying again re-orders the same out_trade_no at WeChat Pay.
    await setOrderFields(h, created.outTradeNo, { prepayExpiresAt: new Date(Date.now() - 1000) });
    const again = await h.call('createOrder', { outTradeNo: created.outTradeNo }, ALICE);
    expect(again.error).toBeUndefined();
    expect(again).toMatchObject({ outTradeNo: created.outTradeNo, amount: created.amount, payment: { signType: 'RSA', package: expect.stringMatching(/^prepay_id=/) } });
    expect(new Date((await h.order(created.outTradeNo)).prepayExpiresAt).getTime()).toBeGreaterThan(Date.now());

    const paid = await h.sim('POST', '/__sim/pay', { ...again.payment, result: 'SUCCESS' });
    expect(paid.trade_state).toBe('SUCCESS');
    // Delivered = payNotify answered 204, i.e. after the transition and its audit record were written.
    await h.waitFor('notification delivered', async () => {
      const { notifications } = await h.sim('GET', `/__sim/notifications?out_trade_no=${created.outTradeNo}`);
      return notifications.some((n: { event_type?: string; state?: string }) => n.state === 'delivered');
    });
    const order = await h.order(created.outTradeNo);
    expect(order.status).toBe('SUCCESS');
    expect(order.transactionId).toBe(paid.transaction_id);
    expect(order.transitions).toEqual([expect.objectContaining({ from: 'NOTPAY', to: 'SUCCESS', source: 'notify' })]);
    expect((await transitionEvents(h, created.outTradeNo)).map((e) => e._id)).toEqual([`transition:${created.outTradeNo}:NOTPAY:SUCCESS`]);
  });

  it('an expired order whose payment failed is not payable', async () => {
    const created = await failedPayment();
    await setOrderFields(h, created.outTradeNo, { expiresAt: new Date(Date.now() - 1000) });
    const again = await h.call('createOrder', { outTradeNo: created.outTradeNo }, ALICE);
    expect(again.error).toMatchObject({ code: 'ORDER_NOT_PAYABLE', retryable: false });
  });
});
