/**
 * The order's side of refunds, as conditional updates that are each atomic on one document and
 * idempotent per out_refund_no — so concurrent requests, retries and crashes half-way can neither
 * refund more than was paid nor count a refund twice.
 *
 * - reserve: before WeChat Pay is asked, the refund claims its amount on the order
 *   (`refundReserved + amount <= total`, expressed as `refundReserved <= total - amount`) and
 *   records its number in `refundReservations`; the same number can claim only once.
 * - release: a refund that ended CLOSED (or was refused) gives its claim back, once.
 * - noteAbnormal: an ABNORMAL refund is listed on the order, once (for the customer's view).
 * - settle: a SUCCESS refund adds to `refundedTotal`, once; the order becomes REFUND at the total,
 *   through the order's own transition function (lib/orders/transition.ts applyFullyRefunded).
 */
import type { Database } from '../store/db';
import type { Order, RefundReservation } from '../orders/model';
import { COLLECTIONS } from '../store/collections';
import { applyFullyRefunded } from '../orders/transition';
import { MAX_REFUNDS_PER_ORDER } from './model';

export type ReserveOutcome =
  | { kind: 'reserved'; amount: number }
  | { kind: 'alreadyReserved'; amount: number }
  | { kind: 'refused'; reason: string };

export async function reserve(db: Database, order: Order, no: string, amount: number, now: number): Promise<ReserveOutcome> {
  const _ = db.command;
  const orders = db.collection(COLLECTIONS.orders);
  // Orders paid before refunds existed have no counters; `lte` never matches a missing field.
  await orders.where({ _id: order._id, refundReserved: _.exists(false) }).update({ data: { refundReserved: 0, refundCount: 0 } });
  const { stats } = await orders
    .where({
      _id: order._id,
      status: 'SUCCESS',
      refundReserved: _.lte(order.amount.total - amount),
      refundCount: _.lt(MAX_REFUNDS_PER_ORDER),
      'refundReservations.no': _.neq(no),
    })
    .update({
      data: {
        refundReserved: _.inc(amount),
        refundCount: _.inc(1),
        refundReservations: _.push({ no, amount, at: new Date(now) }),
        updatedAt: new Date(now),
      },
    });
  if ((stats.updated ?? 0) > 0) return { kind: 'reserved', amount };
  const [current] = (await orders.where({ _id: order._id }).limit(1).get()).data as unknown as Order[];
  const mine = findReservation(current, no);
  if (mine) return { kind: 'alreadyReserved', amount: mine.amount };
  return { kind: 'refused', reason: refusalReason(current ?? order, amount) };
}

export function findReservation(order: Order | undefined, no: string): RefundReservation | undefined {
  return order?.refundReservations?.find((r) => r.no === no);
}

/** Why a reservation cannot be made, in words staff can act on. */
export function refusalReason(order: Order, amount: number): string {
  const reserved = order.refundReserved ?? 0;
  if (order.status === 'REFUND') return 'This order has already been fully refunded.';
  if (order.status !== 'SUCCESS') return `This order is ${order.status}, not paid; only paid orders can be refunded.`;
  if ((order.refundCount ?? 0) >= MAX_REFUNDS_PER_ORDER) return `This order already has ${MAX_REFUNDS_PER_ORDER} refunds, the most WeChat Pay allows.`;
  const left = order.amount.total - reserved;
  if (left <= 0) return 'Nothing is left to refund on this order (the rest is refunded or being refunded).';
  return `Only ${left} fen of ${order.amount.total} can still be refunded (${reserved} fen refunded or in progress); ${amount} fen asked.`;
}

export async function release(db: Database, outTradeNo: string, no: string, amount: number, now: number): Promise<boolean> {
  const _ = db.command;
  const { stats } = await db
    .collection(COLLECTIONS.orders)
    .where({ _id: outTradeNo, 'refundReservations.no': no, refundsReleased: _.neq(no), refundsSettled: _.neq(no) })
    .update({ data: { refundReserved: _.inc(-amount), refundsReleased: _.push(no), updatedAt: new Date(now) } });
  return (stats.updated ?? 0) > 0;
}

/** An ABNORMAL refund is noted on the order, once, so the customer's order view can say so. */
export async function noteAbnormal(db: Database, outTradeNo: string, no: string, now: number): Promise<void> {
  const _ = db.command;
  await db
    .collection(COLLECTIONS.orders)
    .where({ _id: outTradeNo, 'refundReservations.no': no, refundsAbnormal: _.neq(no) })
    .update({ data: { refundsAbnormal: _.push(no), updatedAt: new Date(now) } });
}

/**
 * Returns whether this call settled the refund, whether the order became REFUND by it, and the order as
 * read after the settling update (before that step, when this call made it).
 */
export async function settle(db: Database, outTradeNo: string, no: string, amount: number, now: number): Promise<{ settled: boolean; fullyRefunded: boolean; order?: Order }> {
  const _ = db.command;
  const orders = db.collection(COLLECTIONS.orders);
  const at = new Date(now);
  const { stats } = await orders
    .where({ _id: outTradeNo, refundsSettled: _.neq(no), refundsReleased: _.neq(no) })
    .update({ data: { refundedTotal: _.inc(amount), refundsSettled: _.push(no), updatedAt: at } });
  // Always tried (not only after settling): an earlier attempt may have stopped between the two.
  const [order] = (await orders.where({ _id: outTradeNo }).limit(1).get()).data as unknown as Order[];
  let fullyRefunded = false;
  if (order && order.status === 'SUCCESS' && (order.refundedTotal ?? 0) >= order.amount.total) {
    fullyRefunded = (await applyFullyRefunded(db, order, { now })).applied;
  }
  return { settled: (stats.updated ?? 0) > 0, fullyRefunded, order };
}
