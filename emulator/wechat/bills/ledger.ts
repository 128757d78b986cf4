// The day's bill from the simulator's own ledger (orders + refunds on the existing state), in the
// documented row format. Payments are dated by success_time, refunds by their application time
// (交易时间, China time), as the real bill does. The fee is the standard 0.60 % rate: fen × 6
// milli-fen, exact, so no rounding is modelled (a real bill's fee is the same 5-decimal number).
import type { FundFlowRow, FundFlowSummary, TradeBillRow, TradeBillSummary, TradeLayout } from '../../../lib/wechatpay';
import { chinaDateOf, chinaMidnightOf, formatChinaDateTime } from '../../../lib/contract/time';
import type { SimState } from '../state';
import type { Order, Refund } from '../types';

export const FEE_MILLI_FEN_PER_FEN = 6;

/** `yyyy-MM-dd HH:mm:ss` in China time. */
export const chinaTime = formatChinaDateTime;
export const chinaDate = chinaDateOf;
/** ms epoch of 00:00 China time on `date` (YYYY-MM-DD). */
export const chinaMidnight = chinaMidnightOf;

/** The format has no escape for ",`" or a newline: the simulator writes names without them (an assumption). */
const clean = (text: string | undefined): string => (text ?? '').replace(/,`/g, ', ').replace(/[\r\n]+/g, ' ');

const paidMs = (o: Order): number | undefined => (o.transaction_id && o.success_time ? Date.parse(o.success_time) : undefined);

function paymentRow(o: Order): TradeBillRow {
  return {
    tradeTime: chinaTime(paidMs(o)!), appid: o.appid, mchid: o.mchid, subMchid: '0', deviceInfo: '', transactionId: o.transaction_id!,
    outTradeNo: o.out_trade_no, openid: o.payer.openid, tradeType: 'JSAPI', tradeState: 'SUCCESS', bankType: o.bank_type ?? 'OTHERS', currency: 'CNY',
    settlementFen: o.amount.total, couponFen: 0, refundApplyTime: '', refundSuccessTime: '', refundId: '0', outRefundNo: '0', refundFen: 0,
    rechargeCouponRefundFen: 0, refundType: '', refundStatus: '', body: clean(o.description), attach: clean(o.attach),
    feeMilliFen: o.amount.total * FEE_MILLI_FEN_PER_FEN, rate: '0.60%', totalFen: o.amount.total, requestedRefundFen: 0, rateNote: '',
  };
}

function refundRow(r: Refund, o: Order): TradeBillRow {
  return {
    ...paymentRow(o), tradeTime: chinaTime(r.createdAt), tradeState: 'REFUND', settlementFen: 0, totalFen: 0,
    refundApplyTime: chinaTime(r.createdAt), refundSuccessTime: r.success_time ? chinaTime(Date.parse(r.success_time)) : '',
    refundId: r.refund_id, outRefundNo: r.out_refund_no, refundFen: r.amount.refund, refundType: 'ORIGINAL', refundStatus: r.status,
    feeMilliFen: -r.amount.refund * FEE_MILLI_FEN_PER_FEN, requestedRefundFen: r.amount.refund,
  };
}

const onDay = (ms: number | undefined, date: string): boolean => ms !== undefined && chinaDate(ms) === date;

/** The trade bill's rows for `date`, oldest first. Refunds that failed (CLOSED, ABNORMAL) moved no money: not listed (assumption). */
export function tradeRows(state: SimState, mchid: string, date: string, type: TradeLayout): TradeBillRow[] {
  const rows: Array<{ at: number; row: TradeBillRow }> = [];
  if (type !== 'REFUND') {
    for (const o of state.orders.values()) if (o.mchid === mchid && onDay(paidMs(o), date)) rows.push({ at: paidMs(o)!, row: paymentRow(o) });
  }
  if (type !== 'SUCCESS') {
    for (const r of state.refunds.values()) {
      const o = state.orders.get(`${r.mchid}:${r.out_trade_no}`);
      if (o && r.mchid === mchid && onDay(r.createdAt, date) && (r.status === 'SUCCESS' || r.status === 'PROCESSING')) rows.push({ at: r.createdAt, row: refundRow(r, o) });
    }
  }
  return rows.sort((a, b) => a.at - b.at).map((x) => x.row);
}

export function tradeSummary(rows: TradeBillRow[]): TradeBillSummary {
  const sum = (key: keyof TradeBillRow): number => rows.reduce((s, r) => s + (r[key] as number), 0);
  return {
    count: rows.length, settlementFen: sum('settlementFen'), refundFen: sum('refundFen'), rechargeCouponRefundFen: 0,
    feeMilliFen: sum('feeMilliFen'), totalFen: sum('totalFen'), requestedRefundFen: sum('requestedRefundFen'),
  };
}

/**
 * The BASIC account's fund flow for `date` (a plausible model, *unconfirmed* in detail): each payment
 * in, its fee out (rounded half up to fen, as settlement does), each successful refund out.
 */
export function fundFlowRows(state: SimState, mchid: string, date: string): FundFlowRow[] {
  let balance = 0;
  const out: FundFlowRow[] = [];
  let flow = 0;
  const push = (ms: number, businessNo: string, name: string, income: boolean, fen: number, voucher: string): void => {
    balance += income ? fen : -fen;
    flow += 1;
    out.push({
      time: chinaTime(ms), businessNo, flowNo: `${date.replace(/-/g, '')}${String(flow).padStart(10, '0')}`, businessName: name, businessType: name,
      direction: income ? '收入' : '支出', amountFen: fen, balanceFen: balance, applicant: 'system', remark: '', voucherNo: voucher,
    });
  };
  for (const row of tradeRows(state, mchid, date, 'ALL')) {
    const ms = Date.parse(`${row.tradeTime.replace(' ', 'T')}+08:00`);
    if (row.tradeState === 'SUCCESS') {
      push(ms, row.transactionId, '交易', true, row.totalFen, row.outTradeNo);
      push(ms, row.transactionId, '扣除交易手续费', false, Math.round(row.feeMilliFen / 1000), row.outTradeNo);
    } else if (row.refundStatus === 'SUCCESS') {
      push(ms, row.refundId, '退款', false, row.refundFen, row.outRefundNo);
    }
  }
  return out;
}

export function fundFlowSummary(rows: FundFlowRow[]): FundFlowSummary {
  const income = rows.filter((r) => r.direction === '收入');
  const expense = rows.filter((r) => r.direction === '支出');
  return {
    count: rows.length, incomeCount: income.length, incomeFen: income.reduce((s, r) => s + r.amountFen, 0),
    expenseCount: expense.length, expenseFen: expense.reduce((s, r) => s + r.amountFen, 0),
  };
}
