/**
 * Brings one order in line with a verified WeChat Pay transaction (from a notification or a query):
 * money checks first, then the single transition function, then the audit record.
 */
import type { OrderDeps, WxTransaction } from './deps';
import { recordEvent, recordEvents, type PaymentEvent } from '../store/events';
import { getDocOrNull } from '../store/db';
import type { Order, OrderStatus, OrderTransition, TransitionSource } from './model';
import { COLLECTIONS } from '../store/collections';
import { applyTradeState, mismatchReason, paidOrderGuard, stepFor, transactionMismatch, type TransitionResult } from './transition';

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
  /** Written in the same insert as the transition's audit record when the transition applies. */
  alsoRecord?: PaymentEvent,
): Promise<SyncOutcome> {
  const tradeState = tx.trade_state ?? '';
  // A signature covers the answer's body, not the path asked: a genuine answer about another order
  // (replayed by anything in between) verifies. It is about this order only if it says so.
  if (tx.out_trade_no !== order.outTradeNo) {
    return recordAnomaly(deps, order, tx, source, eventKey, `answer is about out_trade_no ${tx.out_trade_no ?? '(none)'}, not ${order.outTradeNo}`);
  }
  const step = stepFor(tradeState);
  if (!step) return { kind: 'unchanged' };
  if (step.to === 'SUCCESS') {
    const reason = mismatchReason(order, tx, deps.merchant) ?? (await transactionIdTakenReason(deps, order, tx));
    if (reason) return recordAnomaly(deps, order, tx, source, eventKey, reason);
  }
  const result = await applyTransition(deps, order.outTradeNo, source, tx, { order, alsoRecord });
  return result.applied ? { kind: 'applied', result } : { kind: 'unchanged' };
}

/** Recorded and alerted, never applied: a retry cannot make a wrong answer right. */
async function recordAnomaly(deps: OrderDeps, order: Order, tx: WxTransaction, source: TransitionSource, eventKey: string, reason: string): Promise<SyncOutcome> {
  deps.log('notify.anomaly', { outTradeNo: order.outTradeNo, source, reason });
  await recordEvent(deps.db, {
    _id: `anomaly:${eventKey}`,
    kind: 'anomaly',
    source,
    outTradeNo: order.outTradeNo,
    tradeState: tx.trade_state,
    transactionId: tx.transaction_id,
    amountTotal: tx.amount?.total,
    detail: reason,
    at: new Date(deps.now()),
  });
  return { kind: 'anomaly', reason };
}

/**
 * One WeChat Pay payment pays one order: a transaction_id already on another order is not this order's
 * money. Not asked again when the order already holds this very payment (a duplicate delivery, a
 * repeated answer): it was asked when the payment was applied, and nothing can be applied now.
 */
async function transactionIdTakenReason(deps: OrderDeps, order: Order, tx: WxTransaction): Promise<string | null> {
  if (!tx.transaction_id || order.transactionId === tx.transaction_id) return null;
  const { data } = await deps.db
    .collection(COLLECTIONS.orders)
    .where({ transactionId: tx.transaction_id, _id: deps.db.command.neq(order.outTradeNo) })
    .field({ _id: true })
    .limit(1)
    .get();
  return data.length ? `transaction_id ${tx.transaction_id} already pays order ${String(data[0]._id)}` : null;
}

/**
 * The same, for a caller that has not read the order (a notification): a payment is first tried as
 * one conditional update that carries the money checks itself (paidOrderGuard), which is the whole
 * work in the common case. Only when it does not apply — a duplicate, a race, a mismatch, an unknown
 * order — is the order read and the path above taken, which says why and records it.
 */
export async function syncByOutTradeNo(
  deps: OrderDeps,
  outTradeNo: string,
  tx: WxTransaction,
  source: TransitionSource,
  eventKey: string,
  alsoRecord?: PaymentEvent,
): Promise<SyncOutcome | { kind: 'unknown order' }> {
  const payable = stepFor(tx.trade_state ?? '')?.to === 'SUCCESS' && !transactionMismatch(tx, deps.merchant) && paidOrderGuard(tx) !== null;
  if (payable) {
    // A notified order is almost always still NOTPAY: that one conditional update, nothing else, blind.
    const result = await applyTransition(deps, outTradeNo, source, tx, { guess: 'NOTPAY', recordMiss: false, alsoRecord });
    if (result.applied) return { kind: 'applied', result };
  }
  const order = (await getDocOrNull(deps.db, COLLECTIONS.orders, outTradeNo)) as Order | null;
  if (!order) return { kind: 'unknown order' };
  return syncOrderWithTransaction(deps, order, tx, source, eventKey, alsoRecord);
}

/**
 * Every transition goes through here: the single conditional update, then its audit record in
 * payment_events (`transition:<no>:<from>:<to>`, so a retried write is a no-op). `tx` is what WeChat
 * Pay said (a verified notification or query); a close on our side passes `{trade_state: 'CLOSED'}`.
 */
export async function applyTransition(
  deps: OrderDeps,
  outTradeNo: string,
  source: TransitionSource,
  tx: WxTransaction,
  opts: {
    /** The order as the caller read it: only steps it can still make are tried, and a miss needs no re-read. */
    order?: Order;
    /** Instead of a read: the one status to try (see TransitionOptions.guess). */
    guess?: OrderStatus;
    /** false: a miss is the caller's to look into (it reads the order next), not recorded here. */
    recordMiss?: boolean;
    /** Another audit record (e.g. the notification's) that shares the insert when the step applies. */
    alsoRecord?: PaymentEvent;
  } = {},
): Promise<TransitionResult> {
  const now = deps.now();
  const tradeState = tx.trade_state ?? '';
  const guard = stepFor(tradeState)?.to === 'SUCCESS' ? paidOrderGuard(tx) ?? undefined : undefined;
  const result = await applyTradeState(
    deps.db,
    outTradeNo,
    { tradeState, transactionId: tx.transaction_id, successTime: tx.success_time },
    { source, now, current: opts.order?.status, guess: opts.guess, guard },
  );
  if (!result.applied) {
    if (result.to && opts.recordMiss !== false) await recordMissedTransition(deps, outTradeNo, result.to, tx, opts.order);
    return result;
  }
  deps.log('order.transition', { outTradeNo, from: result.from, to: result.to, source });
  // The records are written before the caller answers; the step's auditPending mark stays for the
  // timer's audit pass to verify and clear (lib/orders/audit.ts): clearing it here would be a third write.
  await recordEvents(deps.db, [transitionEvent(outTradeNo, { from: result.from!, to: result.to!, source, at: new Date(now) }, tx), ...(opts.alsoRecord ? [opts.alsoRecord] : [])]);
  return result;
}

/** The audit record of one applied transition; its _id makes a second write a no-op. */
export function transitionEvent(outTradeNo: string, t: Pick<OrderTransition, 'from' | 'to' | 'source' | 'at' | 'transactionId'>, tx: WxTransaction): PaymentEvent {
  return {
    _id: `transition:${outTradeNo}:${t.from}:${t.to}`,
    kind: 'transition',
    source: t.source,
    outTradeNo,
    tradeState: tx.trade_state,
    transactionId: t.transactionId ?? tx.transaction_id,
    amountTotal: tx.amount?.total,
    at: new Date(t.at),
  };
}

/**
 * The transition and its audit record are two writes. If the second failed, the caller answered
 * "retry", and the retry finds the transition already applied: write the record from the order's
 * own history then (same deterministic _id, so it stays a no-op when the record exists).
 */
async function recordMissedTransition(deps: OrderDeps, outTradeNo: string, to: string, tx: WxTransaction, read?: Order): Promise<void> {
  const find = (o: Order | null | undefined): OrderTransition | undefined =>
    o?.transitions?.find((t) => t.to === to && (!tx.transaction_id || !t.transactionId || t.transactionId === tx.transaction_id));
  // The caller's read already holds the applied step (its status is past it): no second read.
  const applied = find(read) ?? find((await getDocOrNull(deps.db, COLLECTIONS.orders, outTradeNo)) as Order | null);
  if (!applied) return;
  await recordEvent(deps.db, transitionEvent(outTradeNo, applied, tx));
}
