/**
 * The payment loop end to end: mini-program calls (as wx.cloud.callFunction would make them) →
 * functions built by esbuild → real wx-server-sdk → CloudBase emulator; WeChat Pay played by the
 * simulator, which pays, notifies over HTTP and answers queries. No mocks anywhere.
 */
import { generateKeyPairSync } from 'crypto';
import { harnessPerFile, startHarness, type Harness } from './harness';
import * as helpers from './loop-helpers';
import { ALICE, BOB, prepayIdOf } from './loop-helpers';

jest.setTimeout(60_000);

let h: Harness;
harnessPerFile(async () => (h = await startHarness()), { resetSimFaults: true });

const newOrder = (openid = ALICE, items = [{ productId: 'coffee', quantity: 2 }]) => helpers.newOrder(h, openid, items);
const events = (outTradeNo: string) => helpers.events(h, outTradeNo);
const postNotify = async (headers: Record<string, string>, body: string) => (await helpers.postNotify(h, headers, body)).status;
const signedNotification = (resource: object, overrides: Parameters<typeof helpers.signedNotification>[2] = {}) => helpers.signedNotification(h, resource, overrides);
const transactionFor = (order: any, patch: object = {}) => helpers.transactionFor(h, order, patch);

async function paidAndNotified(outTradeNo: string): Promise<any> {
  const order = await h.waitFor('order SUCCESS', async () => {
    const order = await h.order(outTradeNo);
    return order?.status === 'SUCCESS' && order;
  });
  // The order turns SUCCESS inside payNotify, whose audit records (the notification's and the
  // transition's) are one insert after that update: they are all there once WeChat Pay has its answer.
  await h.waitFor('the notification acknowledged', async () => {
    const { notifications } = await h.sim('GET', `/__sim/notifications?out_trade_no=${outTradeNo}`);
    return notifications[0]?.state === 'delivered';
  });
  return order;
}

describe('the payment loop on the local stack', () => {
  it('login → createOrder → pay → notification → queryOrder confirms SUCCESS', async () => {
    expect(await h.call('login', {}, ALICE)).toEqual({ openid: ALICE });
    const products = await h.call('listProducts', {}, ALICE);
    expect(products.products.map((p: any) => p._id)).toContain('coffee');
    expect(products.products.map((p: any) => p._id)).not.toContain('retired');

    const created = await newOrder();
    expect(created.amount).toEqual({ total: 3600, currency: 'CNY' });
    expect(created.payment).toMatchObject({ signType: 'RSA', package: expect.stringMatching(/^prepay_id=/) });
    expect(typeof created.payment.timeStamp).toBe('string');

    // The simulator plays the user and checks the paySign as WeChat would.
    const paid = await h.sim('POST', '/__sim/pay', { ...created.payment, result: 'SUCCESS' });
    expect(paid.trade_state).toBe('SUCCESS');
    const order = await paidAndNotified(created.outTradeNo);
    expect(order.transactionId).toBe(paid.transaction_id);
    expect(order.transitions).toHaveLength(1);
    expect(order.transitions[0]).toMatchObject({ from: 'NOTPAY', to: 'SUCCESS', source: 'notify' });

    const confirmed = await h.call('queryOrder', { outTradeNo: created.outTradeNo }, ALICE);
    expect(confirmed).toMatchObject({ outTradeNo: created.outTradeNo, status: 'SUCCESS', amount: { total: 3600 } });
    expect(confirmed.paidAt).toBeDefined();
    const log = await events(created.outTradeNo);
    expect(log.filter((e) => e.kind === 'notification')).toHaveLength(1);
    expect(log.filter((e) => e.kind === 'transition')).toHaveLength(1);
  });

  it('ignores client amounts and rejects unknown or inactive products', async () => {
    const created = await h.call('createOrder', { items: [{ productId: 'tea', quantity: 1, price: 1 }], amount: { total: 1 } }, ALICE);
    expect(created.amount.total).toBe(1200);
    const unknown = await h.call('createOrder', { items: [{ productId: 'nope', quantity: 1 }] }, ALICE);
    expect(unknown.error.code).toBe('PRODUCT_NOT_FOUND');
    const retired = await h.call('createOrder', { items: [{ productId: 'retired', quantity: 1 }] }, ALICE);
    expect(retired.error.code).toBe('PRODUCT_NOT_FOUND');
    const bad = await h.call('createOrder', { items: [{ productId: 'tea', quantity: 1.5 }] }, ALICE);
    expect(bad.error).toEqual({ code: 'INVALID_INPUT', message: expect.stringMatching(/whole number/), retryable: false });
  });

  it("refuses to show or pay someone else's order", async () => {
    const created = await newOrder(ALICE);
    expect((await h.call('queryOrder', { outTradeNo: created.outTradeNo }, BOB)).error.code).toBe('ORDER_NOT_FOUND');
    expect((await h.call('createOrder', { outTradeNo: created.outTradeNo }, BOB)).error.code).toBe('ORDER_NOT_FOUND');
    const bobsOrders = await h.call('listOrders', {}, BOB);
    expect(bobsOrders.orders.map((o: any) => o.outTradeNo)).not.toContain(created.outTradeNo);
  });

  it('double taps with one clientOrderKey make one order, and paying again reuses the prepay', async () => {
    const data = { items: [{ productId: 'cake', quantity: 1 }], clientOrderKey: `tap-${Date.now()}` };
    const [a, b] = await Promise.all([h.call('createOrder', data, ALICE), h.call('createOrder', data, ALICE)]);
    expect(a.outTradeNo).toBe(b.outTradeNo);
    expect(await h.stack.admin.count('orders', { clientOrderKey: data.clientOrderKey })).toBe(1);
    const again = await h.call('createOrder', { outTradeNo: a.outTradeNo }, ALICE);
    expect(prepayIdOf(again)).toBe(prepayIdOf(a));
  });

  it('duplicate and concurrent notifications apply exactly one transition', async () => {
    await h.sim('POST', '/__sim/faults', { duplicateNotifications: 5, concurrentDuplicates: true });
    const created = await newOrder();
    await h.sim('POST', '/__sim/pay', { prepay_id: prepayIdOf(created) });
    const order = await paidAndNotified(created.outTradeNo);
    await h.waitFor('all copies delivered', async () => {
      const { notifications } = await h.sim('GET', `/__sim/notifications?out_trade_no=${created.outTradeNo}`);
      return notifications[0]?.state === 'delivered';
    });
    const after = await h.order(created.outTradeNo);
    expect(after.transitions).toHaveLength(1);
    expect(after.transactionId).toBe(order.transactionId);
    const log = await events(created.outTradeNo);
    expect(log.filter((e) => e.kind === 'transition')).toHaveLength(1);
    expect(log.filter((e) => e.kind === 'notification')).toHaveLength(1);
  });

  it('rejects forged, stale, probe and tampered notifications with 401 and writes nothing', async () => {
    const created = await newOrder();
    const order = await h.order(created.outTradeNo);
    const before = await h.stack.admin.count('payment_events', {});
    const tx = transactionFor(order);
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

    const forged = signedNotification(tx, { privateKey: attacker });
    const forgedReply = await helpers.postNotify(h, forged.headers, forged.body);
    expect(forgedReply.status).toBe(401);
    // The documented reply body: WeChat Pay reads {code: "FAIL", message} (and nothing of ours leaks).
    expect(JSON.parse(forgedReply.body)).toEqual({ code: 'FAIL', message: expect.any(String) });
    const stale = signedNotification(tx, { now: Date.now() - 301_000 });
    expect(await postNotify(stale.headers, stale.body)).toBe(401);
    const unknownSerial = signedNotification(tx, { serial: 'PUB_KEY_ID_0000000000000000000000000' });
    expect(await postNotify(unknownSerial.headers, unknownSerial.body)).toBe(401);
    const probe = signedNotification(tx);
    expect(await postNotify({ ...probe.headers, 'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${probe.headers['Wechatpay-Signature']}` }, probe.body)).toBe(401);
    const reserialised = signedNotification(tx);
    expect(await postNotify(reserialised.headers, JSON.stringify(JSON.parse(reserialised.body), null, 1))).toBe(401);
    const wrongKey = signedNotification(tx, { apiV3Key: 'k'.repeat(32) });
    expect(await postNotify(wrongKey.headers, wrongKey.body)).toBe(401);
    const { 'Wechatpay-Nonce': _omitted, ...missingNonce } = signedNotification(tx).headers;
    expect(await postNotify(missingNonce, signedNotification(tx).body)).toBe(401);

    expect((await h.order(created.outTradeNo)).status).toBe('NOTPAY');
    expect(await h.stack.admin.count('payment_events', {})).toBe(before);
  });

  it('an amount mismatch is recorded as an anomaly and never marks the order paid', async () => {
    const created = await newOrder();
    const order = await h.order(created.outTradeNo);
    const tampered = transactionFor(order, { amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' } });
    const n = signedNotification(tampered);
    expect(await postNotify(n.headers, n.body)).toBe(204);
    expect((await h.order(created.outTradeNo)).status).toBe('NOTPAY');
    const log = await events(created.outTradeNo);
    expect(log.find((e) => e.kind === 'anomaly')?.detail).toMatch(/amount 1 differs/);
    // Logged loudly, for the merchant's alerting.
    expect(h.logs.some((line) => line.includes('[ALERT]') && line.includes('notify.anomaly') && line.includes(created.outTradeNo))).toBe(true);
  });

  it('a dropped notification is recovered by the reconciliation timer', async () => {
    await h.sim('POST', '/__sim/faults', { dropNotifications: 1 });
    const created = await newOrder();
    await h.sim('POST', '/__sim/pay', { prepay_id: prepayIdOf(created) });
    expect((await h.order(created.outTradeNo)).status).toBe('NOTPAY');
    const fired = await h.trigger('queryOrder');
    expect(JSON.stringify(fired)).toMatch(/"paid":[1-9]/);
    const order = await h.order(created.outTradeNo);
    expect(order.status).toBe('SUCCESS');
    expect(order.transitions).toEqual([expect.objectContaining({ from: 'NOTPAY', to: 'SUCCESS', source: 'reconcile' })]);
  });

  it('queryOrder asks WeChat Pay right away when the notification is late', async () => {
    await h.sim('POST', '/__sim/faults', { dropNotifications: 1 });
    const created = await newOrder();
    await h.sim('POST', '/__sim/pay', { prepay_id: prepayIdOf(created) });
    const view = await h.call('queryOrder', { outTradeNo: created.outTradeNo }, ALICE);
    expect(view.status).toBe('SUCCESS');
    expect((await h.order(created.outTradeNo)).transitions[0].source).toBe('query');
  });

  it('an expired unpaid order is closed at WeChat Pay and here', async () => {
    const created = await newOrder();
    // Time passes: the order's expiry is now in the past (written through the database wire).
    await helpers.setOrderFields(h, created.outTradeNo, { expiresAt: new Date(Date.now() - 1000) });
    await h.trigger('queryOrder');
    const order = await h.order(created.outTradeNo);
    expect(order.status).toBe('CLOSED');
    expect(order.transitions).toEqual([expect.objectContaining({ from: 'NOTPAY', to: 'CLOSED', source: 'close' })]);
    // The close is in the audit log like any other transition, exactly once (a second tick adds nothing).
    await h.trigger('queryOrder');
    const audit = await helpers.transitionEvents(h, created.outTradeNo);
    expect(audit).toEqual([expect.objectContaining({ _id: `transition:${created.outTradeNo}:NOTPAY:CLOSED`, source: 'close', tradeState: 'CLOSED' })]);
    const { transactions } = await h.sim('GET', '/__sim/transactions');
    expect(transactions.find((t: any) => t.out_trade_no === created.outTradeNo).trade_state).toBe('CLOSED');
    expect((await h.call('createOrder', { outTradeNo: created.outTradeNo }, ALICE)).error.code).toBe('ORDER_NOT_PAYABLE');
  });

  it('a notification racing the reconciliation timer still makes exactly one transition', async () => {
    // The simulator's own deliveries are dropped: the test delivers the genuine notification itself,
    // together with two timer ticks (and the client's query), over several fresh orders.
    await h.sim('POST', '/__sim/faults', { dropNotifications: 1 });
    // Which side wins depends on the machine; staggering the notification by a few ms per round
    // moves the overlap across the timer's query-then-update window.
    const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const lateNotify = async (ms: number, headers: Record<string, string>, body: string) => {
      await delay(ms);
      return postNotify(headers, body);
    };
    for (const [round, notifyDelayMs] of [0, 0, 25, 25, 60, 60, 120, 120].entries()) {
      const created = await newOrder();
      await h.sim('POST', '/__sim/pay', { prepay_id: prepayIdOf(created) });
      const { transactions } = await h.sim('GET', '/__sim/transactions');
      const paid = transactions.find((t: any) => t.out_trade_no === created.outTradeNo);
      const n = signedNotification(transactionFor({ ...created, openid: ALICE }, { transaction_id: paid.transaction_id, success_time: paid.success_time }));
      const [first, , second] = await Promise.all([
        lateNotify(notifyDelayMs, n.headers, n.body),
        h.trigger('queryOrder'),
        lateNotify(notifyDelayMs, n.headers, n.body),
        h.trigger('queryOrder'),
        // Every other round the client's query joins in; without it the timer races the notification alone.
        round % 2 ? undefined : h.call('queryOrder', { outTradeNo: created.outTradeNo }, ALICE),
      ]);
      expect([round, first, second]).toEqual([round, 204, 204]);
      const order = await h.order(created.outTradeNo);
      expect([round, order.status, order.transactionId]).toEqual([round, 'SUCCESS', paid.transaction_id]);
      expect([round, order.transitions]).toEqual([round, [expect.objectContaining({ from: 'NOTPAY', to: 'SUCCESS' })]]);
      expect([round, (await events(created.outTradeNo)).filter((e) => e.kind === 'transition').length]).toEqual([round, 1]);
    }
  });

  it('WeChat Pay failing during createOrder leaves a consistent, retryable order', async () => {
    await h.sim('POST', '/__sim/faults', { systemErrorRate: 1 });
    const data = { items: [{ productId: 'beans', quantity: 1 }], clientOrderKey: `retry-${Date.now()}` };
    const failed = await h.call('createOrder', data, ALICE);
    expect(failed.error).toMatchObject({ code: 'PAYMENT_PROVIDER_UNAVAILABLE', retryable: true });
    expect(JSON.stringify(failed)).not.toMatch(/PRIVATE KEY|at .*\.js|stack/);
    const [stored] = await h.stack.admin.find('orders', { clientOrderKey: data.clientOrderKey });
    expect(stored).toMatchObject({ status: 'NOTPAY', prepayId: null, amount: { total: 8800 } });

    await h.sim('POST', '/__sim/faults', {});
    const retried = await h.call('createOrder', data, ALICE);
    expect(retried.outTradeNo).toBe(stored.outTradeNo);
    expect(retried.payment.package).toMatch(/^prepay_id=/);
    expect(await h.stack.admin.count('orders', { clientOrderKey: data.clientOrderKey })).toBe(1);
  });
});
