/**
 * One batch of bill rows against our records, read in two queries (orders by _id = 商户订单号,
 * refunds by _id = 商户退款单号), never one per row. Pure classification after the reads: each row
 * is matched, a heal candidate (WeChat says paid/refunded, we do not yet), or a discrepancy.
 */
import type { Order } from '../orders/model';
import type { Refund } from '../refunds/model';
import { COLLECTIONS } from '../store/collections';
import type { Database } from '../store/db';
import type { TradeBillRow } from '../wechatpay';
import type { Discrepancy, OurTotals } from './model';

export interface BatchOutcome {
  /** Our records behind these rows that we date on the bill's day (the reverse check's shortcut, ours.ts). */
  ours: OurTotals;
  matched: number;
  healOrders: string[];
  healRefunds: string[];
  discrepancies: Discrepancy[];
}

export const isRefundRow = (row: TradeBillRow): boolean => row.tradeState === 'REFUND';

type OrderFacts = Pick<Order, '_id' | 'status' | 'amount' | 'transactionId' | 'paidAt'>;
type RefundFacts = Pick<Refund, '_id' | 'status' | 'amount' | 'outTradeNo' | 'createdAt'>;

async function byIds<T>(db: Database, collection: string, ids: string[], field: Record<string, true>): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  if (ids.length === 0) return out;
  const { data } = await db.collection(collection).where({ _id: db.command.in(ids) }).field(field).limit(ids.length).get();
  for (const doc of data) out.set(String(doc._id), doc as unknown as T);
  return out;
}

/** The database reads for a batch: at most two round trips. */
export async function lookup(db: Database, rows: TradeBillRow[]): Promise<{ orders: Map<string, OrderFacts>; refunds: Map<string, RefundFacts> }> {
  const orderIds = [...new Set(rows.filter((r) => !isRefundRow(r)).map((r) => r.outTradeNo))];
  const refundIds = [...new Set(rows.filter(isRefundRow).map((r) => r.outRefundNo))];
  const [orders, refunds] = await Promise.all([
    byIds<OrderFacts>(db, COLLECTIONS.orders, orderIds, { _id: true, status: true, amount: true, transactionId: true, paidAt: true }),
    byIds<RefundFacts>(db, COLLECTIONS.refunds, refundIds, { _id: true, status: true, amount: true, outTradeNo: true, createdAt: true }),
  ]);
  return { orders, refunds };
}

function paymentOutcome(row: TradeBillRow, order: OrderFacts | undefined, out: BatchOutcome): void {
  const bill = { amountFen: row.totalFen, transactionId: row.transactionId, status: row.tradeState };
  if (!order) {
    out.discrepancies.push({ kind: 'UNKNOWN_ORDER', outTradeNo: row.outTradeNo, bill, detail: 'the bill has a payment for an order we never created' });
    return;
  }
  const ours = { amountFen: order.amount.total, transactionId: order.transactionId, status: order.status };
  if (order.amount.total !== row.totalFen) {
    out.discrepancies.push({ kind: 'AMOUNT_MISMATCH', outTradeNo: row.outTradeNo, bill, ours, detail: `the bill says ${row.totalFen} fen, our order ${order.amount.total} fen` });
    return;
  }
  if (order.status === 'SUCCESS' || order.status === 'REFUND') {
    if (order.transactionId && order.transactionId !== row.transactionId) {
      out.discrepancies.push({ kind: 'TRANSACTION_MISMATCH', outTradeNo: row.outTradeNo, bill, ours, detail: 'the bill names another 微信订单号 than our order' });
    } else out.matched += 1;
    return;
  }
  out.healOrders.push(row.outTradeNo); // NOTPAY, PAYERROR, CLOSED: a payment we missed
}

function refundOutcome(row: TradeBillRow, refund: RefundFacts | undefined, out: BatchOutcome): void {
  const bill = { amountFen: row.refundFen, status: row.refundStatus };
  const key = { outTradeNo: row.outTradeNo, outRefundNo: row.outRefundNo };
  if (!refund) {
    out.discrepancies.push({ kind: 'UNKNOWN_REFUND', ...key, bill, detail: 'the bill has a refund we never asked for' });
    return;
  }
  const ours = { amountFen: refund.amount, status: refund.status };
  if (refund.outTradeNo !== row.outTradeNo) {
    out.discrepancies.push({ kind: 'ORDER_MISMATCH', ...key, bill, ours, detail: `our refund belongs to order ${refund.outTradeNo}` });
  } else if (refund.amount !== row.refundFen) {
    out.discrepancies.push({ kind: 'AMOUNT_MISMATCH', ...key, bill, ours, detail: `the bill refunds ${row.refundFen} fen, our refund is ${refund.amount} fen` });
  } else if (row.refundStatus === 'SUCCESS' && refund.status === 'CLOSED') {
    out.discrepancies.push({ kind: 'REFUND_STATE_MISMATCH', ...key, bill, ours, detail: 'WeChat Pay refunded it; our refund is CLOSED' });
  } else if (row.refundStatus === 'SUCCESS' && refund.status !== 'SUCCESS') {
    out.healRefunds.push(row.outRefundNo); // PROCESSING / ABNORMAL here, done at WeChat Pay
  } else out.matched += 1; // SUCCESS both, or still PROCESSING at bill time (the refund timer follows it)
}

const within = (at: Date | undefined, day: { start: number; end: number }): boolean => {
  const ms = at === undefined ? NaN : new Date(at).getTime();
  return ms >= day.start && ms < day.end;
};

export function classify(rows: TradeBillRow[], found: Awaited<ReturnType<typeof lookup>>, day: { start: number; end: number }): BatchOutcome {
  const out: BatchOutcome = { ours: { paidCount: 0, grossFen: 0, refundCount: 0, refundFen: 0, netFen: 0 }, matched: 0, healOrders: [], healRefunds: [], discrepancies: [] };
  for (const row of rows) {
    if (isRefundRow(row)) {
      const refund = found.refunds.get(row.outRefundNo);
      refundOutcome(row, refund, out);
      if (refund && (refund.status === 'SUCCESS' || refund.status === 'PROCESSING') && within(refund.createdAt, day)) {
        out.ours.refundCount += 1;
        out.ours.refundFen += refund.amount;
      }
    } else {
      const order = found.orders.get(row.outTradeNo);
      paymentOutcome(row, order, out);
      if (order && (order.status === 'SUCCESS' || order.status === 'REFUND') && within(order.paidAt, day)) {
        out.ours.paidCount += 1;
        out.ours.grossFen += order.amount.total;
      }
    }
  }
  return out;
}
