/**
 * The payment loop's edges on the real local stack: WeChat Pay ahead of us when the user pays
 * again, our database failing while a notification is handled, and paying again after a failed
 * payment. Driven only through the stack's HTTP interfaces (functions, simulator, database wire).
 */
import { startHarness, type Harness } from './harness';
import { ALICE, cloudbaseFaults, newOrder, postNotify, prepayIdOf, setOrderFields, signedNotification, transitionEvents, transactionFor } from './loop-helpers';

jest.setTimeout(60_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});
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
