/**
 * The functions' tuning settings (not secrets), read by lib/orders/settings.ts and
 * lib/refunds/settings.ts. One list, so `npm start` passes the same names through that
 * deploy:scf carries and shows in clear.
 */
export const FUNCTION_SETTINGS = [
  'ORDER_EXPIRE_MINUTES',
  'RECONCILE_MIN_AGE_SECONDS',
  'RECONCILE_TIME_BUDGET_MS',
  'RECONCILE_BATCH_SIZE',
  'RECONCILE_CONCURRENCY',
  'REFUND_ADMIN_OPENIDS',
  'REFUND_RECONCILE_MIN_AGE_SECONDS',
] as const;
