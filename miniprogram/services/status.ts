// Words for order states, in one place.
import { OrderView } from './api';
import { formatPrice } from '../../lib/contract/money';
import { OutcomeKind } from './payflow';

const STATUS_WORDS: Record<string, string> = {
  NOTPAY: 'Awaiting payment',
  SUCCESS: 'Paid',
  CLOSED: 'Closed',
  PAYERROR: 'Payment failed',
  REFUND: 'Refunded',
};

const FULFILMENT_WORDS: Record<string, string> = {
  PENDING: 'Awaiting shipment',
  SHIPPED: 'Shipped',
  CONFIRMED: 'Received',
  SETTLED: 'Completed',
};
const VIRTUAL_WORDS: Record<string, string> = { SHIPPED: 'Delivered', PENDING: 'Being delivered' };

/** "Shipped", "Received"…; "" before payment. */
export function fulfilmentText(order: OrderView): string {
  const f = order.fulfilment;
  if (!f || order.status !== 'SUCCESS') return '';
  return (f.kind === 'virtual' && VIRTUAL_WORDS[f.status]) || FULFILMENT_WORDS[f.status] || f.status;
}

/** One line per parcel: "YTO YT1234567890". */
export function parcelLines(order: OrderView): string[] {
  return (order.fulfilment?.parcels || []).filter((p) => p.trackingNo).map((p) => `${p.expressCompany || ''} ${p.trackingNo}`.trim());
}

export const CONFIRM_RECEIPT_WORDS = { button: '确认收货', failed: 'Could not open confirm receipt. Please try again.' };

export function statusText(status: string): string {
  return STATUS_WORDS[status] || status;
}

/** "Refunded ¥3.00 of ¥10.00" for a partial refund, "" when nothing was refunded. */
export function refundText(order: OrderView): string {
  const refunded = typeof order.refundedTotal === 'number' ? order.refundedTotal : order.status === 'REFUND' ? order.amount.total : 0;
  if (refunded <= 0) return '';
  if (refunded >= order.amount.total) return `Refunded ${formatPrice(refunded)}`;
  return `Refunded ${formatPrice(refunded)} of ${formatPrice(order.amount.total)}`;
}

export interface RefundState { kind: 'pending' | 'failed' | 'closed'; text: string }

/**
 * The refunds that are not (yet) money back, one line each: in progress, stuck (WeChat Pay could
 * not pay it back, e.g. a closed card: the shop settles it by hand) or closed without refunding.
 */
export function refundStates(order: OrderView): RefundState[] {
  if (!order.refunds) {
    // A server that only reports the held total still gets an honest line.
    return order.refundPending && order.refundPending > 0 ? [{ kind: 'pending', text: `Refund of ${formatPrice(order.refundPending)} in progress` }] : [];
  }
  const states: RefundState[] = [];
  for (const r of order.refunds) {
    if (r.status === 'PROCESSING') states.push({ kind: 'pending', text: `Refund of ${formatPrice(r.amount)} in progress` });
    else if (r.status === 'ABNORMAL') states.push({ kind: 'failed', text: `Refund of ${formatPrice(r.amount)} failed — please contact the shop` });
    else if (r.status === 'CLOSED') states.push({ kind: 'closed', text: `Refund of ${formatPrice(r.amount)} closed — nothing was refunded` });
  }
  return states;
}

export const OUTCOME_WORDS: Record<OutcomeKind, { title: string; detail: string }> = {
  paid: { title: 'Payment successful', detail: 'Thank you! Your order is paid.' },
  cancelled: { title: 'Payment cancelled', detail: 'You closed the payment. Nothing was charged; you can pay again.' },
  failed: { title: 'Payment failed', detail: 'The payment did not go through. Nothing was charged; you can try again.' },
  pending: { title: 'Confirming payment', detail: 'We are still waiting for WeChat Pay to confirm. This usually takes a few seconds.' },
};
