/**
 * The cloud database collections our functions keep (the documents are described in the README and
 * typed in lib/orders/model.ts and lib/refunds/model.ts). One registry, so the functions, the
 * timer, the console and the local stack (which creates them) name the same collections.
 */
export const COLLECTIONS = {
  orders: 'orders',
  products: 'products',
  users: 'users',
  paymentEvents: 'payment_events',
  refunds: 'refunds',
  /** One document per China date: that day's bill reconciliation (lib/bills/model.ts). */
  billReconciliations: 'bill_reconciliations',
} as const;
