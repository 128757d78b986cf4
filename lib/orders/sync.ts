/**
 * Brings one order in line with a verified WeChat Pay transaction (from a notification or a query):
 * money checks first, then the single transition function, then the audit record.
 */
import type { OrderDeps, WxTransaction } from './deps';
import { recordEvent } from './events';
import type { Order, TransitionSource } from './model';
import { applyTradeState, mismatchReason, stepFor, type TransitionResult } from './transition';

export type SyncOutcome =
  | { kind: 'applied'; result: TransitionResult }
  | { kind: 'unchanged' }
  | { kind: 'anomaly'; reason: string };

export async function syncOrderWithTransaction(
  deps: OrderDeps,
  order: Order,
  tx: WxTransaction,
  source: TransitionSource,
  eventKey: string,
): Promise<SyncOutcome> {
  const now = deps.now();
  const tradeState = tx.trade_state ?? '';
  const step = stepFor(tradeState);
  if (!step) return { kind: 'unchanged' };
  if (step.to === 'SUCCESS') {
    const reason = mismatchReason(order, tx, deps.merchant);
    if (reason) {
      deps.log('notify.anomaly', { outTradeNo: order.outTradeNo, source, reason });
      await recordEvent(deps.db, {
        _id: `anomaly:${eventKey}`,
        kind: 'anomaly',
        source,
        outTradeNo: order.outTradeNo,
        tradeState,
        transactionId: tx.transaction_id,
        amountTotal: tx.amount?.total,
        detail: reason,
        at: new Date(now),
      });
      return { kind: 'anomaly', reason };
    }
  }
  const result = await applyTradeState(
    deps.db,
    order.outTradeNo,
    { tradeState, transactionId: tx.transaction_id, successTime: tx.success_time },
    { source, now },
  );
  if (!result.applied) return { kind: 'unchanged' };
  deps.log('order.transition', { outTradeNo: order.outTradeNo, from: result.from, to: result.to, source });
  await recordEvent(deps.db, {
    _id: `transition:${order.outTradeNo}:${result.from}:${result.to}`,
    kind: 'transition',
    source,
    outTradeNo: order.outTradeNo,
    tradeState,
    transactionId: tx.transaction_id,
    amountTotal: tx.amount?.total,
    at: new Date(now),
  });
  return { kind: 'applied', result };
}
