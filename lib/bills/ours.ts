/**
 * Our side of a day: the orders we say were paid on it and the refunds we asked for on it, paged
 * by _id (1000 per read), giving our totals and what the bill lacks. Before anything is called
 * missing, WeChat Pay is asked (verified query): 交易时间 is WeChat's clock, so an order paid at
 * 23:59:59.9 by ours may be in the next day's bill — if WeChat dates it on D−1 or D+1 it is
 * "shifted" (that day's bill carries it and that day's run matches it), not missing.
 */
import type { Order } from '../orders/model';
import { fetchTransaction } from '../orders/query';
import type { Refund } from '../refunds/model';
import { COLLECTIONS } from '../store/collections';
import type { Database, Doc } from '../store/db';
import { chinaDateOf, dayWindow } from './days';
import type { BillDeps } from './deps';
import type { Discrepancy, OurTotals } from './model';

const PAGE = 1000;

async function* pages(db: Database, collection: string, where: Doc, field: Doc): AsyncGenerator<Doc[]> {
  let last: string | undefined;
  for (;;) {
    const cond = last === undefined ? where : { ...where, _id: db.command.gt(last) };
    const { data } = await db.collection(collection).where(cond).orderBy('_id', 'asc').field(field).limit(PAGE).get();
    if (data.length) yield data;
    if (data.length < PAGE) return;
    last = String(data[data.length - 1]._id);
  }
}

export interface OurSide {
  totals: OurTotals;
  missingOrders: Array<Pick<Order, '_id' | 'amount' | 'status' | 'transactionId'>>;
  missingRefunds: Array<Pick<Refund, '_id' | 'amount' | 'status' | 'outTradeNo'>>;
}

/**
 * `expected`: what the matched rows showed of our side (records we date on the day). Two counts
 * answer the common case: when our day holds exactly that many, every one of them is in the bill
 * (the matched ones are a subset), so nothing is missing and the totals are those. Only when the
 * counts differ are the day's records paged through to find what the bill lacks.
 */
export async function readOurSide(deps: BillDeps, date: string, seen: { seenPayments: ReadonlySet<string>; seenRefunds: ReadonlySet<string> }, expected: OurTotals): Promise<OurSide> {
  const _ = deps.db.command;
  const { start, end } = dayWindow(date);
  const within = _.and(_.gte(new Date(start)) as Doc, _.lt(new Date(end)) as Doc);
  const paid = { paidAt: within, status: _.in(['SUCCESS', 'REFUND']) };
  // PROCESSING too: the bill lists a refund from its application, with the status at bill time.
  const refunded = { createdAt: within, status: _.in(['SUCCESS', 'PROCESSING']) };
  const [paidCount, refundCount] = await Promise.all([deps.db.collection(COLLECTIONS.orders).where(paid).count(), deps.db.collection(COLLECTIONS.refunds).where(refunded).count()]);
  if (paidCount.total === expected.paidCount && refundCount.total === expected.refundCount) {
    return { totals: { ...expected, netFen: expected.grossFen - expected.refundFen }, missingOrders: [], missingRefunds: [] };
  }
  const { seenPayments, seenRefunds } = seen;
  const side: OurSide = { totals: { paidCount: 0, grossFen: 0, refundCount: 0, refundFen: 0, netFen: 0 }, missingOrders: [], missingRefunds: [] };
  for await (const page of pages(deps.db, COLLECTIONS.orders, paid, { _id: true, amount: true, status: true, transactionId: true })) {
    for (const o of page as unknown as OurSide['missingOrders']) {
      side.totals.paidCount += 1;
      side.totals.grossFen += o.amount.total;
      if (!seenPayments.has(o._id)) side.missingOrders.push(o);
    }
  }
  for await (const page of pages(deps.db, COLLECTIONS.refunds, refunded, { _id: true, amount: true, status: true, outTradeNo: true })) {
    for (const r of page as unknown as OurSide['missingRefunds']) {
      side.totals.refundCount += 1;
      side.totals.refundFen += r.amount;
      if (r.status === 'SUCCESS' && !seenRefunds.has(r._id)) side.missingRefunds.push(r);
    }
  }
  side.totals.netFen = side.totals.grossFen - side.totals.refundFen;
  return side;
}

export type MissingOutcome = { kind: 'shifted' } | { kind: 'discrepancy'; discrepancy: Discrepancy };

export async function explainMissingOrder(deps: BillDeps, date: string, order: OurSide['missingOrders'][number]): Promise<MissingOutcome> {
  const ours = { amountFen: order.amount.total, transactionId: order.transactionId, status: order.status };
  const tx = await fetchTransaction(deps, order._id);
  if (!tx || tx.out_trade_no !== order._id || (tx.trade_state !== 'SUCCESS' && tx.trade_state !== 'REFUND')) {
    const said = !tx ? 'has no such order' : tx.out_trade_no !== order._id ? `answered about ${tx.out_trade_no}` : `says ${tx.trade_state}`;
    return { kind: 'discrepancy', discrepancy: { kind: 'NOT_AT_WECHAT', outTradeNo: order._id, ours, detail: `we say paid; WeChat Pay's verified query ${said}` } };
  }
  const wxDate = tx.success_time ? chinaDateOf(Date.parse(tx.success_time)) : undefined;
  if (wxDate && wxDate !== date) return { kind: 'shifted' };
  return {
    kind: 'discrepancy',
    discrepancy: { kind: 'MISSING_FROM_BILL', outTradeNo: order._id, ours, bill: { amountFen: tx.amount?.total, transactionId: tx.transaction_id, status: tx.trade_state }, detail: `paid at WeChat Pay on ${wxDate ?? 'an unknown day'} but absent from the ${date} bill` },
  };
}

export async function explainMissingRefund(deps: BillDeps, date: string, refund: OurSide['missingRefunds'][number]): Promise<MissingOutcome> {
  const ours = { amountFen: refund.amount, status: refund.status };
  const key = { outTradeNo: refund.outTradeNo, outRefundNo: refund._id };
  let wx: { status?: string; out_refund_no?: string; create_time?: string } | undefined;
  try {
    wx = (await deps.refundPay.queryRefund(refund._id)) as typeof wx;
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code !== 'RESOURCE_NOT_EXISTS' && code !== 'ORDER_NOT_EXIST') throw err;
  }
  if (!wx || (wx.out_refund_no !== undefined && wx.out_refund_no !== refund._id) || wx.status !== 'SUCCESS') {
    return { kind: 'discrepancy', discrepancy: { kind: 'NOT_AT_WECHAT', ...key, ours, detail: `we say refunded; WeChat Pay's verified query ${wx ? `says ${wx.status}` : 'has no such refund'}` } };
  }
  const wxDate = wx.create_time ? chinaDateOf(Date.parse(wx.create_time)) : undefined;
  if (wxDate && wxDate !== date) return { kind: 'shifted' };
  return { kind: 'discrepancy', discrepancy: { kind: 'MISSING_FROM_BILL', ...key, ours, bill: { status: wx.status }, detail: `refunded at WeChat Pay (applied ${wxDate ?? 'on an unknown day'}) but absent from the ${date} bill` } };
}
