/**
 * The functions' tuning settings (not secrets), read by lib/orders/settings.ts,
 * lib/refunds/settings.ts, lib/bills/settings.ts and lib/fulfilment/settings.ts. One list, so
 * `npm start` passes the same names through that deploy:scf carries and shows in clear (the
 * staff lists masked: openids are personal data).
 */
export const FUNCTION_SETTINGS = [
  'ORDER_EXPIRE_MINUTES',
  'RECONCILE_MIN_AGE_SECONDS',
  'RECONCILE_TIME_BUDGET_MS',
  'RECONCILE_BATCH_SIZE',
  'RECONCILE_CONCURRENCY',
  'REFUND_ADMIN_OPENIDS',
  'REFUND_RECONCILE_MIN_AGE_SECONDS',
  'SHIPPING_ADMIN_OPENIDS',
  'SHIPPING_CHECK_MIN_AGE_SECONDS',
  'SHIPPING_OUTBOX_MIN_AGE_SECONDS',
  'BILL_ADMIN_OPENIDS',
  'BILL_TIME_BUDGET_MS',
  'BILL_BATCH_SIZE',
  'BILL_LOOKUP_CONCURRENCY',
] as const;

/** The staff allowlists among them: refundOrder's, and shipOrder's and reconcileBill's (each defaults to the refund staff). */
export const STAFF_LIST_SETTINGS = ['REFUND_ADMIN_OPENIDS', 'SHIPPING_ADMIN_OPENIDS', 'BILL_ADMIN_OPENIDS'] as const;
