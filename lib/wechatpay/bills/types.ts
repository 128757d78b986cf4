/** What the bill parser yields. Money is integer fen; fees integer milli-fen (amount.ts). */
import type { TradeLayout } from './layouts';

export interface TradeBillRow {
  /** `yyyy-MM-dd HH:mm:ss`, China time: payment success time, or a refund's application time. */
  tradeTime: string;
  appid: string;
  mchid: string;
  /** `0` for a direct merchant. */
  subMchid: string;
  deviceInfo: string;
  transactionId: string;
  outTradeNo: string;
  openid: string;
  tradeType: string;
  /** SUCCESS | REFUND | REVOKED */
  tradeState: string;
  bankType: string;
  currency: string;
  settlementFen: number;
  couponFen: number;
  /** REFUND layout only, else ''. */
  refundApplyTime: string;
  refundSuccessTime: string;
  /** `0` on a payment row; '' in the SUCCESS layout (no refund columns). */
  refundId: string;
  outRefundNo: string;
  refundFen: number;
  rechargeCouponRefundFen: number;
  /** ORIGINAL | BALANCE on a refund row. */
  refundType: string;
  /** SUCCESS | PROCESSING on a refund row (as of bill time). */
  refundStatus: string;
  body: string;
  attach: string;
  /** 手续费 in milli-fen (1/1000 fen); negative on a refund row (the fee given back). */
  feeMilliFen: number;
  rate: string;
  totalFen: number;
  requestedRefundFen: number;
  rateNote: string;
}

export interface TradeBillSummary {
  count: number;
  settlementFen: number;
  feeMilliFen: number;
  totalFen: number;
  /** Absent in the SUCCESS layout's summary. */
  refundFen?: number;
  rechargeCouponRefundFen?: number;
  requestedRefundFen?: number;
}

export interface FundFlowRow {
  time: string;
  businessNo: string;
  flowNo: string;
  businessName: string;
  businessType: string;
  /** 收入 | 支出 */
  direction: string;
  amountFen: number;
  balanceFen: number;
  applicant: string;
  remark: string;
  voucherNo: string;
}

export interface FundFlowSummary {
  count: number;
  incomeCount: number;
  incomeFen: number;
  expenseCount: number;
  expenseFen: number;
}

/** One item of a parsed bill, in file order: the layout first, then rows, then exactly one summary. */
export type BillRecord =
  | { type: 'layout'; kind: 'trade'; layout: TradeLayout }
  | { type: 'layout'; kind: 'fundflow'; layout: 'FUNDFLOW' }
  /** `index`: 0-based position among the data rows (a resume cursor counts these). */
  | { type: 'trade'; index: number; row: TradeBillRow }
  | { type: 'tradeSummary'; summary: TradeBillSummary; rows: number }
  | { type: 'fundflow'; index: number; row: FundFlowRow }
  | { type: 'fundflowSummary'; summary: FundFlowSummary; rows: number };
