/** Shared helpers for the refund end-to-end tests: a paid order, a refund call, the sim's ledger. */
import { buildNotification } from '../../lib/wechatpay';
import { startHarness, type Harness } from '../e2e/harness';

export const ALICE = 'oALICE000000000000000000001';
export const STAFF = 'oSTAFF000000000000000000009';
export const OTHER_STAFF = 'oSTAFF000000000000000000010';

export function startRefundHarness(): Promise<Harness> {
  // The concurrency tests start one function process per simultaneous call (like the platform's
  // instances); on a small CI machine those cold starts alone can pass the 3 s default.
  return startHarness({ functionTimeoutMs: 20_000, functionEnv: { REFUND_ADMIN_OPENIDS: `${STAFF}, ${OTHER_STAFF}`, REFUND_RECONCILE_MIN_AGE_SECONDS: '0' } });
}

/** coffee × 2 = 3600 fen, paid and confirmed by the payment notification. */
export async function paidOrder(h: Harness, items = [{ productId: 'coffee', quantity: 2 }]): Promise<any> {
  const created = await h.call('createOrder', { items }, ALICE);
  expect(created.error).toBeUndefined();
  await h.sim('POST', '/__sim/pay', { prepay_id: String(created.payment.package).replace('prepay_id=', '') });
  return h.waitFor('order SUCCESS', async () => {
    const order = await h.order(created.outTradeNo);
    return order?.status === 'SUCCESS' && order;
  });
}

export function refund(h: Harness, data: object, openid = STAFF): Promise<any> {
  return h.call('refundOrder', data, openid);
}

export async function refundDoc(h: Harness, outRefundNo: string): Promise<any> {
  const [doc] = await h.stack.admin.find('refunds', { _id: outRefundNo });
  return doc;
}

export function refundSettled(h: Harness, outRefundNo: string, status = 'SUCCESS'): Promise<any> {
  return h.waitFor(`refund ${status}`, async () => {
    const doc = await refundDoc(h, outRefundNo);
    return doc?.status === status && doc;
  });
}

/** What WeChat Pay (the simulator) holds for an order: its refunded amount and refunds. */
export async function ledger(h: Harness, outTradeNo: string): Promise<any> {
  const { transactions } = await h.sim('GET', '/__sim/transactions');
  return transactions.find((t: any) => t.out_trade_no === outTradeNo);
}

export async function postNotify(h: Harness, headers: Record<string, string>, body: string): Promise<number> {
  const res = await fetch(`${h.stack.cloudbaseUrl}/pay/notify`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  await res.text();
  return res.status;
}

export function refundNotification(h: Harness, eventType: string, resource: object, privateKey?: string) {
  const c = h.stack.credentials;
  return buildNotification({ eventType, resource, apiV3Key: c.apiV3Key, privateKey: privateKey ?? c.platform.privateKey, serial: c.platform.serial, now: Date.now() });
}

/** Writes fields of an order directly (time passing, legacy data), through the database wire. */
export async function patchOrder(h: Harness, outTradeNo: string, set: Record<string, unknown>): Promise<void> {
  await h.stack.admin.send('database.modifyDocument', {
    collectionName: 'orders', queryType: 'WHERE', multi: false, merge: true, upsert: false,
    query: JSON.stringify({ _id: outTradeNo }),
    data: JSON.stringify({ $set: set }),
  });
}

/** The order's refundedTotal reaching `total` (settling follows the refund's own transition). */
export function orderRefunded(h: Harness, outTradeNo: string, total: number): Promise<any> {
  return h.waitFor(`refundedTotal ${total}`, async () => {
    const order = await h.order(outTradeNo);
    return order?.refundedTotal === total && order;
  });
}

/**
 * WeChat Pay takes refunds of one order at least a minute apart: a closer one is queued (PROCESSING,
 * no refund_id) and the timer submits it later. This lets the simulator's minute pass and runs the
 * timer until nothing of the order is queued any more.
 */
export async function submitQueuedRefunds(h: Harness, outTradeNo: string, rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const queued = (await h.stack.admin.find('refunds', { outTradeNo, status: 'PROCESSING' })).filter((r: any) => !r.refundId);
    if (queued.length === 0) return;
    await h.sim('POST', '/__sim/clock', { advanceSeconds: 61 });
    await h.trigger('queryOrder');
  }
  throw new Error(`refunds of ${outTradeNo} still queued after ${rounds} timer runs`);
}
