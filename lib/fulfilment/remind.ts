/**
 * notifyConfirmReceive: ask WeChat to remind the customer to confirm receipt — express only, once
 * per order (the platform refuses a second time with 10060030). The "once" is claimed on the order
 * first (conditional), and given back if WeChat did not take it, so a retry can try again.
 */
import { COLLECTIONS } from '../store/collections';
import type { FulfilmentDeps } from './deps';
import type { Fulfilment } from './model';

export async function remindOnce(deps: FulfilmentDeps, outTradeNo: string): Promise<boolean> {
  const orders = deps.db.collection(COLLECTIONS.orders);
  const claim = await orders.where({ _id: outTradeNo, status: 'SUCCESS', 'fulfilment.status': 'SHIPPED', 'fulfilment.kind': 'express', 'fulfilment.reminded': deps.db.command.neq(true) }).update({ data: { 'fulfilment.reminded': true } });
  if (!claim.stats.updated) return false;
  const order = (await orders.doc(outTradeNo).get()).data as { fulfilment: Fulfilment };
  const last = order.fulfilment.shipments[order.fulfilment.shipments.length - 1];
  const shippedAt = Math.floor(Date.parse(last.uploadTime) / 1000);
  const answer = await deps.platform.call('notifyConfirmReceive', { merchant_id: deps.mchid, merchant_trade_no: outTradeNo, received_time: Math.max(shippedAt + 1, Math.floor(deps.now() / 1000)) }).catch(() => ({ errcode: -1, errmsg: 'no answer' }));
  if (answer.errcode === 0 || answer.errcode === 10060030) return true;
  await orders.where({ _id: outTradeNo }).update({ data: { 'fulfilment.reminded': false } });
  return false;
}
