/**
 * The one state-transition function for refunds. The request's own answer, REFUND.* notifications
 * and the reconciliation timer all end here. Each step is a conditional update on the refund's
 * current status, so duplicates and races produce exactly one transition: the loser updates 0 rows.
 *
 * PROCESSING → SUCCESS | CLOSED | ABNORMAL. ABNORMAL (e.g. the payer's card was cancelled) is
 * settled by hand at WeChat Pay and can still end SUCCESS or CLOSED. SUCCESS and CLOSED are final.
 */
import type { Database } from '../store/db';
import { COLLECTIONS } from '../store/collections';
import type { RefundSource, RefundStatus } from './model';

export interface RefundFacts {
  status: string;
  refundId?: string;
  successTime?: string;
  /** Only when WeChat Pay refused the request itself (→ CLOSED, nothing was refunded). */
  failureCode?: string;
}

interface Step {
  to: RefundStatus;
  from: RefundStatus[];
}

export function refundStepFor(status: string): Step | null {
  switch (status) {
    case 'SUCCESS':
      return { to: 'SUCCESS', from: ['PROCESSING', 'ABNORMAL'] };
    case 'CLOSED':
      return { to: 'CLOSED', from: ['PROCESSING', 'ABNORMAL'] };
    case 'ABNORMAL':
      return { to: 'ABNORMAL', from: ['PROCESSING'] };
    default:
      return null; // PROCESSING: nothing has happened yet.
  }
}

export interface RefundTransitionResult {
  applied: boolean;
  from?: RefundStatus;
  to?: RefundStatus;
}

export async function applyRefundState(
  db: Database,
  outRefundNo: string,
  facts: RefundFacts,
  options: { source: RefundSource; now: number },
): Promise<RefundTransitionResult> {
  const step = refundStepFor(facts.status);
  if (!step) return { applied: false };
  const at = new Date(options.now);
  const refunds = db.collection(COLLECTIONS.refunds);
  for (const from of step.from) {
    const data: Record<string, unknown> = {
      status: step.to,
      updatedAt: at,
      transitions: db.command.push({ from, to: step.to, source: options.source, at }),
      // In the same write: the order's side of this step is still to do (sync.ts applyToOrder).
      booked: false,
    };
    if (facts.refundId) data.refundId = facts.refundId;
    if (step.to === 'SUCCESS') data.successTime = facts.successTime ? new Date(facts.successTime) : at;
    if (facts.failureCode) data.failureCode = facts.failureCode;
    const { stats } = await refunds.where({ _id: outRefundNo, status: from }).update({ data });
    if ((stats.updated ?? 0) > 0) return { applied: true, from, to: step.to };
  }
  return { applied: false, to: step.to };
}

/**
 * A verified WeChat refund must match the refund we asked for before it may touch anything. The
 * signature covers the answer's body, not the path asked: a genuine answer about another refund
 * (another out_refund_no of the same order, same amount) verifies too — so the answer must name
 * this refund and this order, not merely not contradict them.
 */
export function refundMismatchReason(
  refund: { outRefundNo: string; outTradeNo: string; amount: number; refundId: string | null },
  wx: { mchid?: string; out_refund_no?: string; out_trade_no?: string; refund_id?: string; amount?: { refund?: number } },
  expected: { mchid: string },
): string | null {
  if (wx.out_refund_no !== refund.outRefundNo) return `answer is about refund ${wx.out_refund_no ?? '(none)'}, not ${refund.outRefundNo}`;
  if (wx.out_trade_no !== refund.outTradeNo) return `answer is about out_trade_no ${wx.out_trade_no ?? '(none)'}, not the refund's order ${refund.outTradeNo}`;
  if (wx.mchid !== undefined && wx.mchid !== expected.mchid) return `mchid ${wx.mchid} is not ours`;
  if (wx.amount?.refund !== undefined && wx.amount.refund !== refund.amount) return `refund amount ${wx.amount.refund} differs from the ${refund.amount} we asked for`;
  if (refund.refundId && wx.refund_id && wx.refund_id !== refund.refundId) return `refund_id ${wx.refund_id} differs from ${refund.refundId}`;
  return null;
}
