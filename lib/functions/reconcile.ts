/**
 * The reconciliation timer's work: one tick for the state machines — pending orders, then
 * PROCESSING refunds (at once), then fulfilment. Each runs even when another fails, so an
 * order-side outage never stalls refunds (or the reverse); the first failure is rethrown after all
 * have run, so the platform records the tick as failed. cloudfunctions/queryOrder's timer trigger
 * calls it; each part is an exported function of its deps (lib/orders/reconcile.ts,
 * lib/refunds/reconcile.ts, lib/fulfilment/reconcile.ts) that tests call directly.
 */
import { reconcileFulfilment, type FulfilmentReconcileSummary } from '../fulfilment/reconcile';
import { reconcile, type ReconcileSummary } from '../orders/reconcile';
import { reconcileRefunds, type RefundReconcileSummary } from '../refunds/reconcile';
import { fulfilmentDeps, orderDeps, prepareSecrets, refundDeps } from './runtime';

export type ReconcileAllSummary = ReconcileSummary & { refunds: RefundReconcileSummary; fulfilment: FulfilmentReconcileSummary };

/** Each part builds its own deps, so a configuration error on one side fails only that side. */
export interface ReconcileParts {
  orders(): Promise<ReconcileSummary>;
  refunds(): Promise<RefundReconcileSummary>;
  fulfilment(): Promise<FulfilmentReconcileSummary>;
}

const runtimeParts: ReconcileParts = {
  orders: async () => reconcile(orderDeps()),
  refunds: async () => reconcileRefunds(refundDeps()),
  fulfilment: async () => reconcileFulfilment(fulfilmentDeps()),
};

export async function reconcileAll(parts: ReconcileParts = runtimeParts): Promise<ReconcileAllSummary> {
  await prepareSecrets(); // client calls get this from clientFunction
  const [orders, refunds] = await Promise.allSettled([parts.orders(), parts.refunds()]);
  // After the payments: shipping owed, virtual deliveries, shipped orders the pushes left unsettled.
  const [fulfilment] = await Promise.allSettled([parts.fulfilment()]);
  if (orders.status === 'rejected') throw orders.reason;
  if (refunds.status === 'rejected') throw refunds.reason;
  if (fulfilment.status === 'rejected') throw fulfilment.reason;
  return { ...orders.value, refunds: refunds.value, fulfilment: fulfilment.value };
}
