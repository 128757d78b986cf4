/**
 * Message pushes about an order after payment (trade_manage_order_settlement, trade_manage_remind_shipping).
 * A push is never proof: on WeChat Cloud it is unsigned (and a client could call the function with
 * the same JSON), so all it does is make us ask getOrder about that order (check.ts). Always
 * answered "success" unless our own database failed (then WeChat retries).
 */
import { COLLECTIONS } from '../store/collections';
import { getDocOrNull } from '../store/db';
import type { Order } from '../orders/model';
import type { FulfilmentDeps } from './deps';
import { checkWithPlatform } from './check';
import { sendOutbox } from './outbox';

export const TRADE_EVENTS = ['trade_manage_order_settlement', 'trade_manage_remind_shipping'] as const;

export async function handleTradePush(deps: FulfilmentDeps, message: Record<string, unknown>): Promise<'success'> {
  const event = message.Event;
  if (message.MsgType !== 'event' || !TRADE_EVENTS.includes(event as (typeof TRADE_EVENTS)[number])) return 'success';
  const outTradeNo = typeof message.merchant_trade_no === 'string' ? message.merchant_trade_no : '';
  if (message.merchant_id !== deps.mchid || !/^[0-9A-Za-z_\-|*]{6,32}$/.test(outTradeNo)) {
    deps.log('fulfilment.push_rejected', { event: String(event), reason: 'not our merchant or no merchant_trade_no' });
    return 'success';
  }
  const order = (await getDocOrNull(deps.db, COLLECTIONS.orders, outTradeNo)) as unknown as Order | null;
  const f = order?.fulfilment;
  if (!order || order.status !== 'SUCCESS' || !f) return 'success';
  if (f.outbox) await sendOutbox(deps, outTradeNo, f.outbox); // a reminder to ship: finish what we owe
  else if (f.status === 'SHIPPED' || f.status === 'CONFIRMED') await checkWithPlatform(deps, outTradeNo, f, 'push');
  return 'success';
}

/** The mini-program came back from the confirm-receipt component: check, never believe. */
export async function checkReceipt(deps: FulfilmentDeps, order: Order): Promise<void> {
  const f = order.fulfilment;
  if (order.status === 'SUCCESS' && f && (f.status === 'SHIPPED' || f.status === 'CONFIRMED') && !f.outbox) await checkWithPlatform(deps, order.outTradeNo, f, 'check');
}
