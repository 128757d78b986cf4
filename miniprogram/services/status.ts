// Words for order states, from the message table (miniprogram/i18n). The states themselves stay
// WeChat's identifiers (NOTPAY, SUCCESS…); only what the customer reads is translated.
import { OrderView } from './api';
import { formatPrice } from '../../lib/contract/money';
import { formatChinaTime } from '../../lib/contract/i18n';
import { OutcomeKind } from './payflow';
import { messages, ShopKey, t } from '../i18n';

function known(key: string): key is ShopKey {
  return key in messages;
}

/** "已发货", "已收货"…; "" before payment. */
export function fulfilmentText(order: OrderView): string {
  const f = order.fulfilment;
  if (!f || order.status !== 'SUCCESS') return '';
  const virtual = `fulfilment.virtual.${f.status}`;
  if (f.kind === 'virtual' && known(virtual)) return t(virtual);
  const key = `fulfilment.${f.status}`;
  return known(key) ? t(key) : f.status;
}

/** One line per parcel: "YTO YT1234567890". */
export function parcelLines(order: OrderView): string[] {
  return (order.fulfilment?.parcels || []).filter((p) => p.trackingNo).map((p) => `${p.expressCompany || ''} ${p.trackingNo}`.trim());
}

export const CONFIRM_RECEIPT_WORDS = { button: t('receipt.confirm'), failed: t('receipt.failed') };

export function statusText(status: string): string {
  const key = `status.${status}`;
  return known(key) ? t(key) : status;
}

/** "下单时间 2026-12-01 21:17" in China time, "" when the time is unreadable. */
export function createdText(order: OrderView): string {
  const time = formatChinaTime(order.createdAt);
  return time ? t('orders.createdAt', { time }) : '';
}

/** "已退款 ¥3.00（订单共 ¥10.00）" for a partial refund, "" when nothing was refunded. */
export function refundText(order: OrderView): string {
  const refunded = typeof order.refundedTotal === 'number' ? order.refundedTotal : order.status === 'REFUND' ? order.amount.total : 0;
  if (refunded <= 0) return '';
  if (refunded >= order.amount.total) return t('refund.all', { amount: formatPrice(refunded) });
  return t('refund.partial', { amount: formatPrice(refunded), total: formatPrice(order.amount.total) });
}

export interface RefundState { kind: 'pending' | 'failed' | 'closed'; text: string }

/**
 * The refunds that are not (yet) money back, one line each: in progress, stuck (WeChat Pay could
 * not pay it back, e.g. a closed card: the shop settles it by hand) or closed without refunding.
 */
export function refundStates(order: OrderView): RefundState[] {
  if (!order.refunds) {
    // A server that only reports the held total still gets an honest line.
    return order.refundPending && order.refundPending > 0 ? [{ kind: 'pending', text: t('refund.pending', { amount: formatPrice(order.refundPending) }) }] : [];
  }
  const states: RefundState[] = [];
  for (const r of order.refunds) {
    const amount = formatPrice(r.amount);
    if (r.status === 'PROCESSING') states.push({ kind: 'pending', text: t('refund.pending', { amount }) });
    else if (r.status === 'ABNORMAL') states.push({ kind: 'failed', text: t('refund.failed', { amount }) });
    else if (r.status === 'CLOSED') states.push({ kind: 'closed', text: t('refund.closed', { amount }) });
  }
  return states;
}

function outcome(kind: OutcomeKind) {
  return { title: t(`outcome.${kind}.title` as ShopKey), detail: t(`outcome.${kind}.detail` as ShopKey) };
}

export const OUTCOME_WORDS: Record<OutcomeKind, { title: string; detail: string }> = {
  paid: outcome('paid'),
  cancelled: outcome('cancelled'),
  failed: outcome('failed'),
  pending: outcome('pending'),
};
