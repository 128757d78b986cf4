// Words for order states, in one place.
import { Order } from './api';
import { formatPrice } from './money';
import { OutcomeKind } from './payflow';

const STATUS_WORDS: Record<string, string> = {
  NOTPAY: 'Awaiting payment',
  SUCCESS: 'Paid',
  CLOSED: 'Closed',
  PAYERROR: 'Payment failed',
  REFUND: 'Refunded',
};

export function statusText(status: string): string {
  return STATUS_WORDS[status] || status;
}

/** "Refunded ¥3.00 of ¥10.00" for a partial refund, "" when nothing was refunded. */
export function refundText(order: Order): string {
  const refunded = typeof order.refundedTotal === 'number' ? order.refundedTotal : order.status === 'REFUND' ? order.amount.total : 0;
  if (refunded <= 0) return '';
  if (refunded >= order.amount.total) return `Refunded ${formatPrice(refunded)}`;
  return `Refunded ${formatPrice(refunded)} of ${formatPrice(order.amount.total)}`;
}

export const OUTCOME_WORDS: Record<OutcomeKind, { title: string; detail: string }> = {
  paid: { title: 'Payment successful', detail: 'Thank you! Your order is paid.' },
  cancelled: { title: 'Payment cancelled', detail: 'You closed the payment. Nothing was charged; you can pay again.' },
  failed: { title: 'Payment failed', detail: 'The payment did not go through. Nothing was charged; you can try again.' },
  pending: { title: 'Confirming payment', detail: 'We are still waiting for WeChat Pay to confirm. This usually takes a few seconds.' },
};
