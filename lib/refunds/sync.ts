/**
 * Brings one refund in line with what WeChat Pay says (its answer to createRefund/queryRefund, or
 * a verified REFUND.* notification): checks first, then the one transition function, then the
 * audit records (from the stored history), then the order's bookkeeping. Safe to run any number of times, in any order.
 */
import { getDocOrNull } from '../store/db';
import { recordEvent, type PaymentEvent } from '../store/events';
import type { Order } from '../orders/model';
import { COLLECTIONS } from '../store/collections';
import type { RefundDeps } from './deps';
import { noteAbnormal, release, settle } from './ledger';
import type { Refund, RefundSource, RefundTransition } from './model';
import { applyRefundState, refundMismatchReason, type RefundTransitionResult } from './transition';

/** WeChat's view of a refund; `status` from a query, `refund_status` from a notification. */
export interface WxRefundFacts {
  status?: string;
  refund_status?: string;
  refund_id?: string;
  success_time?: string;
  mchid?: string;
  out_refund_no?: string;
  out_trade_no?: string;
  amount?: { refund?: number };
}

export type RefundSyncOutcome =
  | { kind: 'applied'; result: RefundTransitionResult }
  | { kind: 'unchanged' }
  | { kind: 'anomaly'; reason: string };

export async function syncRefund(deps: RefundDeps, refund: Refund, wx: WxRefundFacts, source: RefundSource, eventKey: string): Promise<RefundSyncOutcome> {
  const now = deps.now();
  const status = wx.refund_status ?? wx.status ?? '';
  const reason = refundMismatchReason(refund, wx, deps.merchant);
  if (reason) {
    deps.log('refund.anomaly', { outRefundNo: refund.outRefundNo, outTradeNo: refund.outTradeNo, source, reason });
    await recordEvent(deps.db, {
      _id: `anomaly:${eventKey}`, kind: 'anomaly', source, outTradeNo: refund.outTradeNo,
      tradeState: status, amountTotal: wx.amount?.refund, detail: `refund ${refund.outRefundNo}: ${reason}`, at: new Date(now),
    });
    return { kind: 'anomaly', reason };
  }
  if (wx.refund_id && !refund.refundId) {
    // WeChat Pay has accepted it: remember its id even while it is still PROCESSING.
    await deps.db.collection(COLLECTIONS.refunds).where({ _id: refund._id, refundId: null }).update({ data: { refundId: wx.refund_id, updatedAt: new Date(now) } });
  }
  const result = await applyRefundState(deps.db, refund.outRefundNo, { status, refundId: wx.refund_id, successTime: wx.success_time }, { source, now });
  if (result.applied) deps.log('refund.transition', { outRefundNo: refund.outRefundNo, outTradeNo: refund.outTradeNo, from: result.from, to: result.to, source });
  // Audit records and the order's bookkeeping follow from what is stored, applied now or earlier.
  await applyToOrder(deps, refund.outRefundNo);
  return result.applied ? { kind: 'applied', result } : { kind: 'unchanged' };
}

/**
 * A step and its audit record are two writes. If the record failed, the caller answered "retry" and
 * the retry finds the step already applied — so the records are always (re)written from the stored
 * history, each with a deterministic _id: a record that exists is a duplicate-key no-op.
 */
export async function recordRefundHistory(deps: RefundDeps, refund: Refund): Promise<void> {
  for (const t of refund.transitions ?? []) {
    await recordEvent(deps.db, refundTransitionEvent(refund, t));
  }
  if (refund.status === 'CLOSED' && refund.failureCode) {
    const closed = refund.transitions?.find((t) => t.to === 'CLOSED');
    await recordEvent(deps.db, {
      _id: `anomaly:refused:${refund.outRefundNo}`, kind: 'anomaly', source: closed?.source ?? 'request', outTradeNo: refund.outTradeNo,
      detail: `refund ${refund.outRefundNo} refused by WeChat Pay: ${refund.failureCode}`, at: new Date(closed?.at ?? refund.updatedAt),
    });
  }
}

function refundTransitionEvent(refund: Refund, t: RefundTransition): PaymentEvent {
  const event = {
    _id: `refund:${refund.outRefundNo}:${t.from}:${t.to}`,
    kind: 'refund' as const,
    source: t.source,
    outTradeNo: refund.outTradeNo,
    outRefundNo: refund.outRefundNo,
    tradeState: t.to,
    amountTotal: refund.amount,
    detail: `${t.from} → ${t.to}`,
    at: new Date(t.at),
  };
  return event;
}

/**
 * The order follows the refund's current (stored) status, not the transition we just made: an
 * earlier run may have changed the refund and stopped before the order was updated.
 */
export async function applyToOrder(deps: RefundDeps, outRefundNo: string): Promise<void> {
  const now = deps.now();
  const [refund] = (await deps.db.collection(COLLECTIONS.refunds).where({ _id: outRefundNo }).limit(1).get()).data as unknown as Refund[];
  if (!refund) return;
  await recordRefundHistory(deps, refund);
  if (refund.status === 'CLOSED') await release(deps.db, refund.outTradeNo, refund.outRefundNo, refund.amount, now);
  if (refund.status === 'ABNORMAL') await noteAbnormal(deps.db, refund.outTradeNo, refund.outRefundNo, now);
  if (refund.status === 'SUCCESS') {
    const { fullyRefunded, order } = await settle(deps.db, refund.outTradeNo, refund.outRefundNo, refund.amount, now);
    if (fullyRefunded) deps.log('order.transition', { outTradeNo: refund.outTradeNo, from: 'SUCCESS', to: 'REFUND', source: 'refund' });
    // The order's SUCCESS → REFUND record: read again only when this call made the step. When settle's
    // read shows it made earlier, that read has it; when it shows no step (a part refund), there is
    // none to record — and a step a concurrent settlement makes is that caller's to record, or the
    // order audit pass's (the step marks the order auditPending: lib/orders/audit.ts).
    if (fullyRefunded) await recordOrderRefunded(deps, refund.outTradeNo);
    else if (order?.status === 'REFUND') await recordOrderRefunded(deps, refund.outTradeNo, order);
  }
  if (refund.booked === false) {
    // Only for the status just followed up: a newer step (ABNORMAL → SUCCESS) meanwhile stays false.
    await deps.db.collection(COLLECTIONS.refunds).where({ _id: refund._id, status: refund.status, booked: false }).update({ data: { booked: true } });
  }
}

/** The order's SUCCESS → REFUND record, from the order's own history (same reasoning as above). */
async function recordOrderRefunded(deps: RefundDeps, outTradeNo: string, read?: Order): Promise<void> {
  const order = read ?? ((await getDocOrNull(deps.db, COLLECTIONS.orders, outTradeNo)) as Order | null);
  const step = order?.status === 'REFUND' ? order.transitions?.find((t) => t.from === 'SUCCESS' && t.to === 'REFUND') : undefined;
  if (!step) return;
  await recordEvent(deps.db, {
    _id: `transition:${outTradeNo}:SUCCESS:REFUND`, kind: 'transition', source: step.source,
    outTradeNo, tradeState: 'REFUND', at: new Date(step.at),
  });
}
