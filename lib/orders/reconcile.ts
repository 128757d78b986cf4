/**
 * The reconciliation timer: a function of (deps, now) that the trigger and the tests both call.
 * Pending orders older than a minimum age are queried and the same transition applied; orders
 * past their expiry are closed at WeChat Pay first (so nobody can pay them any more), then here.
 * Then the audit pass (audit.ts): every marked order's records verified, missing ones written.
 */
import { PAYABLE_STATUSES } from '../contract';
import { errorCode, workWithinBudget } from '../store/budget';
import type { OrderDeps } from './deps';
import type { Order } from './model';
import { COLLECTIONS } from '../store/collections';
import { fetchTransaction } from './query';
import { finishAudits } from './audit';
import { applyTransition, syncOrderWithTransaction } from './sync';

export interface ReconcileSummary {
  checked: number;
  paid: number;
  closed: number;
  /** Orders whose missing audit records were written by this tick. */
  audited: number;
  /** Marked orders whose audit records this tick verified (and whose mark it cleared). */
  verified: number;
  failed: number;
  anomalies: number;
  /** true when the time budget ran out before the batch was done; the next tick resumes. */
  truncated: boolean;
}

export async function reconcile(deps: OrderDeps): Promise<ReconcileSummary> {
  const started = deps.now();
  const deadline = started + deps.settings.reconcileTimeBudgetMs;
  const summary: ReconcileSummary = { checked: 0, paid: 0, closed: 0, failed: 0, anomalies: 0, truncated: false, audited: 0, verified: 0 };
  const _ = deps.db.command;
  const { data } = await deps.db
    .collection(COLLECTIONS.orders)
    // PAYERROR too: the payer may still retry it at WeChat Pay, and it must be closed when it expires.
    .where({ status: _.in([...PAYABLE_STATUSES]), createdAt: _.lte(new Date(started - deps.settings.reconcileMinAgeSeconds * 1000)) })
    // Least recently checked first, so a long backlog is worked through tick after tick.
    .orderBy('lastCheckedAt', 'asc')
    .limit(deps.settings.reconcileBatchSize)
    .get();
  await workWithinBudget(data as unknown as Order[], {
    now: deps.now,
    deadline,
    concurrency: deps.settings.reconcileConcurrency,
    onTruncated: () => (summary.truncated = true),
    onFailed: (order, err) => {
      summary.failed += 1;
      deps.log('order.reconcile_failed', { outTradeNo: order.outTradeNo, code: errorCode(err) });
    },
  }, async (order) => {
    summary.checked += 1;
    await reconcileOne(deps, order, summary);
  });
  // Every step this tick or earlier left marked, older than the minimum age: records verified, marks cleared.
  await finishAudits(deps, new Date(started - deps.settings.reconcileMinAgeSeconds * 1000), deadline, summary);
  deps.log('order.reconcile_summary', { ...summary, ms: deps.now() - started });
  return summary;
}

/**
 * One pending order. A transition records the check itself (it sets lastCheckedAt); an order that
 * stays as it is — or whose check failed — is marked checked here, so it goes to the back of the
 * queue and one that keeps failing never holds up the rest.
 */
async function reconcileOne(deps: OrderDeps, order: Order, summary: ReconcileSummary): Promise<void> {
  const now = deps.now();
  const markChecked = () => deps.db.collection(COLLECTIONS.orders).where({ _id: order._id }).update({ data: { lastCheckedAt: new Date(now) } });
  let moved: boolean;
  try {
    moved = await settleOne(deps, order, summary, now);
  } catch (err) {
    await markChecked().catch(() => undefined); // the check's own failure is the one to report
    throw err;
  }
  if (!moved) await markChecked();
}

/** true when a transition was applied here. */
async function settleOne(deps: OrderDeps, order: Order, summary: ReconcileSummary, now: number): Promise<boolean> {
  const tx = await fetchTransaction(deps, order.outTradeNo);
  if (tx) {
    const key = `reconcile:${order.outTradeNo}:${tx.trade_state}:${tx.transaction_id ?? ''}`;
    const outcome = await syncOrderWithTransaction(deps, order, tx, 'reconcile', key);
    if (outcome.kind === 'anomaly') summary.anomalies += 1;
    if (outcome.kind === 'applied') {
      if (outcome.result.to === 'SUCCESS') summary.paid += 1;
      if (outcome.result.to === 'CLOSED') summary.closed += 1;
      return true;
    }
    if (tx.trade_state !== 'NOTPAY' && tx.trade_state !== 'USERPAYING' && tx.trade_state !== 'PAYERROR') return false;
  }
  if (new Date(order.expiresAt).getTime() > now) return false;
  // Expired and unpaid: close at WeChat Pay first; if that fails (e.g. it was just paid), the
  // order stays NOTPAY and the next tick's query sees the payment.
  if (tx) await deps.pay.closeOrder(order.outTradeNo);
  const closed = { out_trade_no: order.outTradeNo, trade_state: 'CLOSED', amount: { total: order.amount.total } };
  const result = await applyTransition(deps, order.outTradeNo, 'close', closed, { order });
  if (result.applied) summary.closed += 1;
  return result.applied;
}
