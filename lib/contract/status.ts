/**
 * The status words an order and a refund can carry: the cloud functions write them, the
 * mini-program and the console read them. WeChat Pay's own words (trade_state, refund status), so
 * an order and WeChat Pay never need translating.
 */

export const ORDER_STATUSES = ['NOTPAY', 'SUCCESS', 'CLOSED', 'PAYERROR', 'REFUND'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The statuses a customer may (still) pay from. */
export const PAYABLE_STATUSES: readonly OrderStatus[] = ['NOTPAY', 'PAYERROR'];

export const REFUND_STATUSES = ['PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export function isPayable(status: string): boolean {
  return (PAYABLE_STATUSES as readonly string[]).indexOf(status) >= 0;
}
