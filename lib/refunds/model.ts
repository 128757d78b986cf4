/** The `refunds` collection: one document per out_refund_no (documented in the README). */

import type { RefundStatus, RefundView } from '../contract';

// The status words and what refundOrder answers are the contract's (lib/contract).
export type { RefundStatus, RefundView };

export type RefundSource = 'request' | 'notify' | 'reconcile' | 'bill';

/** WeChat Pay's rules, checked here first so staff get a clear answer before any call. */
export const MAX_REFUNDS_PER_ORDER = 50;
export const REFUND_WINDOW_MS = 365 * 24 * 3600_000;

export interface RefundTransition {
  from: RefundStatus;
  to: RefundStatus;
  source: RefundSource;
  at: Date;
}

export interface Refund {
  /** = outRefundNo, so a retried insert is a duplicate-key no-op. */
  _id: string;
  outRefundNo: string;
  outTradeNo: string;
  /** integer fen */
  amount: number;
  /** The order's paid total, sent with every (re)submission so the parameters never change. */
  orderTotal: number;
  reason: string;
  status: RefundStatus;
  /** WeChat's refund_id, null until WeChat Pay has accepted the refund. */
  refundId: string | null;
  /** openid of the staff member who asked. */
  requestedBy: string;
  requestKey?: string;
  createdAt: Date;
  updatedAt: Date;
  successTime?: Date;
  /** Set when WeChat Pay refused the request outright (status CLOSED, no money moved). */
  failureCode?: string;
  /**
   * Set when WeChat Pay said "not now" (FREQUENCY_LIMITED: refunds of one order at least a minute
   * apart) and created nothing: still PROCESSING and reserved; the timer submits it later.
   */
  queuedAt?: Date;
  queuedCode?: string;
  transitions: RefundTransition[];
  lastCheckedAt?: Date;
  /**
   * false from a step until its follow-up (audit records, the order's counters) is done; the timer
   * finishes refunds left false (a write failed after the step and nothing else will revisit it).
   */
  booked?: boolean;
}

export function toRefundView(refund: Refund): RefundView {
  const view: RefundView = {
    outRefundNo: refund.outRefundNo,
    outTradeNo: refund.outTradeNo,
    amount: refund.amount,
    reason: refund.reason,
    status: refund.status,
    refundId: refund.refundId ?? null,
    createdAt: new Date(refund.createdAt).toISOString(),
  };
  if (refund.successTime) view.successTime = new Date(refund.successTime).toISOString();
  if (refund.failureCode) view.failureCode = refund.failureCode;
  if (refund.queuedAt && !refund.refundId && refund.status === 'PROCESSING') view.queued = true;
  return view;
}
