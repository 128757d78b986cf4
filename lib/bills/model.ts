/**
 * The `bill_reconciliations` collection: one document per China date (its _id is the date), the
 * latest state of that day's reconciliation against WeChat Pay's trade bill.
 */

/** RUNNING: a run stopped at its time budget; the next tick resumes at `cursor`. */
export type BillStatus = 'MATCHED' | 'HEALED' | 'DISCREPANCIES' | 'NOT_READY' | 'NO_STATEMENT' | 'FAILED' | 'RUNNING';
export const FINAL_STATUSES: ReadonlySet<BillStatus> = new Set(['MATCHED', 'HEALED', 'DISCREPANCIES', 'NO_STATEMENT']);

/** Lists kept in the document are cut here; the counts are always complete. */
export const MAX_LISTED = 100;

export type DiscrepancyKind =
  /** A bill payment row whose 商户订单号 we have no order for. */
  | 'UNKNOWN_ORDER'
  /** A bill refund row whose 商户退款单号 we have no refund for. */
  | 'UNKNOWN_REFUND'
  /** The bill's amount differs from ours (order total or refund amount). */
  | 'AMOUNT_MISMATCH'
  /** The bill's 微信订单号 differs from the transaction id we stored. */
  | 'TRANSACTION_MISMATCH'
  /** A refund row names another order than our refund. */
  | 'ORDER_MISMATCH'
  /** WeChat says refunded (SUCCESS) and our refund is CLOSED. */
  | 'REFUND_STATE_MISMATCH'
  /** The bill says paid/refunded, we do not, and the verified query did not let us heal it. */
  | 'HEAL_REFUSED'
  /** We say paid (or refunded) on the day, the bill of the day lacks it, and WeChat's query dates it on the day too. */
  | 'MISSING_FROM_BILL'
  /** We say paid (or refunded); WeChat Pay's verified query has no such payment (or refund). */
  | 'NOT_AT_WECHAT'
  /** The bill's summary disagrees with its own rows. */
  | 'SUMMARY_MISMATCH';

export interface SideValues {
  amountFen?: number;
  transactionId?: string;
  status?: string;
}

export interface Discrepancy {
  kind: DiscrepancyKind;
  outTradeNo?: string;
  outRefundNo?: string;
  bill?: SideValues;
  ours?: SideValues;
  detail: string;
}

export interface HealedItem {
  outTradeNo: string;
  outRefundNo?: string;
  /** The transition the verified query allowed. */
  from?: string;
  to?: string;
  amountFen: number;
  /** WeChat Pay's success_time from the verified query (payments). */
  successTime?: string;
}

export interface BillTotals {
  /** 总交易单数 */
  count: number;
  /** 应结订单总金额 */
  grossFen: number;
  /** 退款总金额 */
  refundFen: number;
  /** 手续费总金额, milli-fen (lib/wechatpay/bills/amount.ts) */
  feeMilliFen: number;
  /** gross − refunds − fees, milli-fen (exact) */
  netMilliFen: number;
}

export interface OurTotals {
  paidCount: number;
  grossFen: number;
  refundCount: number;
  refundFen: number;
  netFen: number;
}

export interface BillReconciliation {
  /** = billDate */
  _id: string;
  billDate: string;
  status: BillStatus;
  billHash?: string;
  bill?: BillTotals;
  ours?: OurTotals;
  /** Rows seen in the bill: payments and refunds. */
  rows?: { payments: number; refunds: number };
  matched: number;
  healedCount: number;
  healed: HealedItem[];
  discrepancyCount: number;
  discrepancies: Discrepancy[];
  /** Payments/refunds of ours dated on this day whose WeChat time falls on the day before or after (in that day's bill). */
  shifted: number;
  /** FAILED: the stable error code and what to do. */
  error?: { code: string; message: string };
  runs: number;
  startedAt?: Date;
  finishedAt?: Date;
  updatedAt: Date;
  /** Who asked: 'timer' or a staff openid. */
  requestedBy?: string;
  /** RUNNING only: where the next run resumes, and what the stopped run had staged (applied only after the hash is verified). */
  progress?: BillProgress;
  /** Held by a run in progress: another run of the same day waits until it expires. */
  leaseUntil?: Date;
}

export interface BillProgress {
  /** Data rows already matched against the database. */
  cursor: number;
  hash: string;
  matched: number;
  payments: number;
  refunds: number;
  /** Orders the bill says are paid and we do not (healed after the hash check). */
  healOrders: string[];
  /** Refunds the bill says succeeded and we do not. */
  healRefunds: string[];
  discrepancyCount: number;
  discrepancies: Discrepancy[];
  /** Our side as seen through the matched rows: orders we date on this day, refunds we asked for on it. */
  ours: OurTotals;
}

/** What the staff function and the console show. */
export type BillReconciliationView = Omit<BillReconciliation, 'progress' | 'leaseUntil' | 'startedAt' | 'finishedAt' | 'updatedAt'> & {
  startedAt?: string;
  finishedAt?: string;
  updatedAt: string;
  cursor?: number;
};

export function toBillView(doc: BillReconciliation): BillReconciliationView {
  const { progress, leaseUntil: _lease, startedAt, finishedAt, updatedAt, ...rest } = doc;
  void _lease;
  const view: BillReconciliationView = { ...rest, updatedAt: new Date(updatedAt).toISOString() };
  if (startedAt) view.startedAt = new Date(startedAt).toISOString();
  if (finishedAt) view.finishedAt = new Date(finishedAt).toISOString();
  if (progress) view.cursor = progress.cursor;
  return view;
}
