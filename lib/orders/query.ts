/** queryOrder for a client: "is my order paid?", asking WeChat Pay right away while it is pending. */
import { isPayable } from '../contract';
import { APP_ERROR_CODES, AppError } from '../errors';
import { getDocOrNull } from '../store/db';
import type { OrderDeps, WxTransaction } from './deps';
import { toOrderView, type Order, type OrderView } from './model';
import { COLLECTIONS } from '../store/collections';
import { syncOrderWithTransaction } from './sync';

export async function loadOrder(deps: OrderDeps, outTradeNo: string): Promise<Order | null> {
  return (await getDocOrNull(deps.db, COLLECTIONS.orders, outTradeNo)) as Order | null;
}

/** The transaction WeChat Pay has for an order, or null when it has none (never prepaid). */
export async function fetchTransaction(deps: OrderDeps, outTradeNo: string): Promise<WxTransaction | null> {
  try {
    return await deps.pay.queryByOutTradeNo(outTradeNo);
  } catch (err) {
    if ((err as { code?: string }).code === 'ORDER_NOT_EXIST') return null;
    throw err;
  }
}

export async function queryOwnOrder(deps: OrderDeps, openid: string, outTradeNo: string): Promise<OrderView> {
  const order = await loadOrder(deps, outTradeNo);
  if (!order || order.openid !== openid) {
    throw new AppError(APP_ERROR_CODES.ORDER_NOT_FOUND, 'No such order. Check the order number.');
  }
  // PAYERROR too: the user may have paid it again since, and the notification may be late.
  if (!isPayable(order.status)) return toOrderView(order);
  try {
    const tx = await fetchTransaction(deps, outTradeNo);
    if (tx) {
      const key = `query:${outTradeNo}:${tx.trade_state}:${tx.transaction_id ?? ''}`;
      const outcome = await syncOrderWithTransaction(deps, order, tx, 'query', key);
      // The conditional update says exactly what changed: no second read for the answer.
      if (outcome.kind === 'applied') return toOrderView({ ...order, ...outcome.result.changes, transitions: [...order.transitions, outcome.result.changes!.entry] });
    }
  } catch (err) {
    // WeChat Pay unreachable: the client polls again and the timer catches up; report what we know.
    deps.log('order.query_failed', { outTradeNo, code: (err as { code?: string }).code ?? 'UNKNOWN' });
  }
  return toOrderView(order);
}
