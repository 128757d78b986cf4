/**
 * The bill layouts, column by column, as documented (shared notes: bills). One table per layout is
 * the only place the column names and their order are written; parser and writer both read it.
 * `kind` says how a value is read: text as is, `fen` = yuan with 2 decimals, `fee` = yuan with 5
 * decimals (kept as milli-fen, see amount.ts), `count` = a whole number (`45` or `45.0`).
 */
export type ValueKind = 'text' | 'fen' | 'fee' | 'count';

export interface Column<K extends string = string> {
  name: string;
  key: K;
  kind: ValueKind;
}

const c = <K extends string>(name: string, key: K, kind: ValueKind = 'text'): Column<K> => ({ name, key, kind });

const HEAD = [
  c('交易时间', 'tradeTime'), c('公众账号ID', 'appid'), c('商户号', 'mchid'), c('特约商户号', 'subMchid'), c('设备号', 'deviceInfo'),
  c('微信订单号', 'transactionId'), c('商户订单号', 'outTradeNo'), c('用户标识', 'openid'), c('交易类型', 'tradeType'),
  c('交易状态', 'tradeState'), c('付款银行', 'bankType'), c('货币种类', 'currency'), c('应结订单金额', 'settlementFen', 'fen'),
  c('代金券金额', 'couponFen', 'fen'),
] as const;
const REFUND_TIMES = [c('退款申请时间', 'refundApplyTime'), c('退款成功时间', 'refundSuccessTime')] as const;
const REFUND_COLUMNS = [
  c('微信退款单号', 'refundId'), c('商户退款单号', 'outRefundNo'), c('退款金额', 'refundFen', 'fen'),
  c('充值券退款金额', 'rechargeCouponRefundFen', 'fen'), c('退款类型', 'refundType'), c('退款状态', 'refundStatus'),
] as const;
const GOODS = [c('商品名称', 'body'), c('商户数据包', 'attach'), c('手续费', 'feeMilliFen', 'fee'), c('费率', 'rate'), c('订单金额', 'totalFen', 'fen')] as const;
const REQUESTED = [c('申请退款金额', 'requestedRefundFen', 'fen')] as const;
const NOTE = [c('费率备注', 'rateNote')] as const;

export type TradeLayout = 'ALL' | 'SUCCESS' | 'REFUND';
export const TRADE_LAYOUTS: Record<TradeLayout, readonly Column[]> = {
  ALL: [...HEAD, ...REFUND_COLUMNS, ...GOODS, ...REQUESTED, ...NOTE],
  SUCCESS: [...HEAD, ...GOODS, ...NOTE],
  REFUND: [...HEAD, ...REFUND_TIMES, ...REFUND_COLUMNS, ...GOODS, ...REQUESTED, ...NOTE],
};

const COUNT = c('总交易单数', 'count', 'count');
export const TRADE_SUMMARIES: Record<TradeLayout, readonly Column[]> = {
  ALL: [
    COUNT, c('应结订单总金额', 'settlementFen', 'fen'), c('退款总金额', 'refundFen', 'fen'), c('充值券退款总金额', 'rechargeCouponRefundFen', 'fen'),
    c('手续费总金额', 'feeMilliFen', 'fee'), c('订单总金额', 'totalFen', 'fen'), c('申请退款总金额', 'requestedRefundFen', 'fen'),
  ],
  SUCCESS: [COUNT, c('应结订单总金额', 'settlementFen', 'fen'), c('手续费总金额', 'feeMilliFen', 'fee'), c('订单总金额', 'totalFen', 'fen')],
  // *Unconfirmed*: no source shows the REFUND bill's summary; we assume the ALL one (the parser
  // reads summaries by column name, so a shorter real one still parses).
  REFUND: [] as Column[],
};
TRADE_SUMMARIES.REFUND = TRADE_SUMMARIES.ALL;

export const FUNDFLOW_COLUMNS: readonly Column[] = [
  c('记账时间', 'time'), c('微信支付业务单号', 'businessNo'), c('资金流水单号', 'flowNo'), c('业务名称', 'businessName'),
  c('业务类型', 'businessType'), c('收支类型', 'direction'), c('收支金额(元)', 'amountFen', 'fen'), c('账户结余(元)', 'balanceFen', 'fen'),
  c('资金变更提交申请人', 'applicant'), c('备注', 'remark'), c('业务凭证号', 'voucherNo'),
];
export const FUNDFLOW_SUMMARY: readonly Column[] = [
  c('资金流水总笔数', 'count', 'count'), c('收入笔数', 'incomeCount', 'count'), c('收入金额', 'incomeFen', 'fen'),
  c('支出笔数', 'expenseCount', 'count'), c('支出金额', 'expenseFen', 'fen'),
];

/** Every summary column name we can read, with how (summaries are read by name, not position). */
export const SUMMARY_COLUMNS: ReadonlyMap<string, Column> = new Map(
  [...TRADE_SUMMARIES.ALL, ...TRADE_SUMMARIES.SUCCESS, ...FUNDFLOW_SUMMARY].map((col) => [col.name, col]),
);

export type BillLayout = { kind: 'trade'; layout: TradeLayout } | { kind: 'fundflow'; layout: 'FUNDFLOW' };

const HEADERS = new Map<string, BillLayout>([
  ...(Object.keys(TRADE_LAYOUTS) as TradeLayout[]).map((l): [string, BillLayout] => [TRADE_LAYOUTS[l].map((col) => col.name).join(','), { kind: 'trade', layout: l }]),
  [FUNDFLOW_COLUMNS.map((col) => col.name).join(','), { kind: 'fundflow', layout: 'FUNDFLOW' }],
]);

export function layoutOfHeader(header: string): BillLayout | undefined {
  return HEADERS.get(header);
}

export function columnsOf(layout: BillLayout): readonly Column[] {
  return layout.kind === 'trade' ? TRADE_LAYOUTS[layout.layout] : FUNDFLOW_COLUMNS;
}

export function summaryColumnsOf(layout: BillLayout): readonly Column[] {
  return layout.kind === 'trade' ? TRADE_SUMMARIES[layout.layout] : FUNDFLOW_SUMMARY;
}
