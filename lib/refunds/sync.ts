/**
 * Brings one refund in line with what WeChat Pay says (its answer to createRefund/queryRefund, or
 * a verified REFUND.* notification): checks first, then the one transition function, then the
 * order's bookkeeping, then the audit record. Safe to run any number of times, in any order.
 */
import { recordEvent } from '../orders/events';
import { COLLECTIONS } from '../orders/model';
import type { RefundDeps } from './deps';
import { release, settle } from './ledger';
import type { Refund, RefundSource } from './model';
import { applyRefundState, refundMismatchReason, type RefundTransitionResult } from './transition';

/** WeChat's view of a refund; `status` from a query, `refund_status` from a notification. */
export interface WxRefundFacts {
  status?: string;
  refund_status?: string;
  refund_id?: string;
  success_time?: string;
  mchid?: string;
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
  if (result.applied) {
    deps.log('refund.transition', { outRefundNo: refund.outRefundNo, outTradeNo: refund.outTradeNo, from: result.from, to: result.to, source });
    await recordRefundTransition(deps, refund, result, source);
  }
  await applyToOrder(deps, refund.outRefundNo);
  return result.applied ? { kind: 'applied', result } : { kind: 'unchanged' };
}

export async function recordRefundTransition(deps: RefundDeps, refund: Refund, result: RefundTransitionResult, source: RefundSource): Promise<void> {
  const event = {
    _id: `refund:${refund.outRefundNo}:${result.from}:${result.to}`,
    kind: 'refund' as const,
    source,
    outTradeNo: refund.outTradeNo,
    outRefundNo: refund.outRefundNo,
    tradeState: result.to,
    amountTotal: refund.amount,
    detail: `${result.from} → ${result.to}`,
    at: new Date(deps.now()),
  };
  await recordEvent(deps.db, event);
}

/**
 * The order follows the refund's current (stored) status, not the transition we just made: an
 * earlier run may have changed the refund and stopped before the order was updated.
 */
export async function applyToOrder(deps: RefundDeps, outRefundNo: string): Promise<void> {
  const now = deps.now();
  const [refund] = (await deps.db.collection(COLLECTIONS.refunds).where({ _id: outRefundNo }).limit(1).get()).data as unknown as Refund[];
  if (!refund) return;
  if (refund.status === 'CLOSED') {
    await release(deps.db, refund.outTradeNo, refund.outRefundNo, refund.amount, now);
    return;
  }
  if (refund.status !== 'SUCCESS') return;
  const { fullyRefunded } = await settle(deps.db, refund.outTradeNo, refund.outRefundNo, refund.amount, now);
  if (!fullyRefunded) return;
  deps.log('order.transition', { outTradeNo: refund.outTradeNo, from: 'SUCCESS', to: 'REFUND', source: 'refund' });
  await recordEvent(deps.db, {
    _id: `transition:${refund.outTradeNo}:SUCCESS:REFUND`, kind: 'transition', source: 'refund',
    outTradeNo: refund.outTradeNo, tradeState: 'REFUND', at: new Date(now),
  });
}
