/**
 * The refund half of the reconciliation timer, a function of (deps, now) like the order half:
 * PROCESSING refunds older than a few minutes are queried at WeChat Pay and the same sync
 * applied. A refund WeChat Pay has never heard of (it was down when staff asked) is submitted
 * again with its stored parameters — the identical request, so it can never refund twice. Refunds
 * whose step's follow-up was left undone (a failed write) are finished too.
 */
import { errorCode, workWithinBudget, type BudgetedRun } from '../store/budget';
import type { RefundDeps } from './deps';
import { COLLECTIONS } from '../store/collections';
import type { Refund } from './model';
import { submitRefund } from './submit';
import { applyToOrder, syncRefund } from './sync';

export interface RefundReconcileSummary {
  checked: number;
  succeeded: number;
  closed: number;
  abnormal: number;
  resubmitted: number;
  /** Submissions WeChat Pay asked to make later (FREQUENCY_LIMITED): still queued, tried next tick. */
  deferred: number;
  failed: number;
  /** Refunds whose follow-up an earlier sync left undone, finished now. */
  booked: number;
  truncated: boolean;
}

const NOT_FOUND = new Set(['RESOURCE_NOT_EXISTS', 'ORDER_NOT_EXIST', 'NOT_FOUND']);

export async function reconcileRefunds(deps: RefundDeps): Promise<RefundReconcileSummary> {
  const started = deps.now();
  const deadline = started + deps.settings.reconcileTimeBudgetMs;
  const summary: RefundReconcileSummary = { checked: 0, succeeded: 0, closed: 0, abnormal: 0, resubmitted: 0, deferred: 0, failed: 0, booked: 0, truncated: false };
  const _ = deps.db.command;
  const { data } = await deps.db
    .collection(COLLECTIONS.refunds)
    .where({ status: 'PROCESSING', createdAt: _.lte(new Date(started - deps.refundSettings.reconcileMinAgeSeconds * 1000)) })
    .orderBy('lastCheckedAt', 'asc')
    .limit(deps.settings.reconcileBatchSize)
    .get();
  // One at a time: refunds are few, and WeChat Pay rate-limits refund calls per merchant.
  await workWithinBudget(data as unknown as Refund[], budget(deps, deadline, summary), async (refund) => {
    summary.checked += 1;
    await reconcileOne(deps, refund, summary);
  });
  await finishUnbooked(deps, deadline, summary);
  return summary;
}

/**
 * A step whose follow-up failed (payNotify answered 500 and WeChat Pay retries — or the timer's own
 * sync, where nothing retries): its refund is no longer PROCESSING, so it is found by `booked`.
 * Only steps older than the same minimum age, so in-flight syncs finish on their own.
 */
async function finishUnbooked(deps: RefundDeps, deadline: number, summary: RefundReconcileSummary): Promise<void> {
  const { data } = await deps.db
    .collection(COLLECTIONS.refunds)
    .where({ booked: false, updatedAt: deps.db.command.lte(new Date(deps.now() - deps.refundSettings.reconcileMinAgeSeconds * 1000)) })
    .limit(deps.settings.reconcileBatchSize)
    .get();
  await workWithinBudget(data as unknown as Refund[], budget(deps, deadline, summary), async (refund) => {
    await applyToOrder(deps, refund.outRefundNo);
    summary.booked += 1;
  });
}

function budget(deps: RefundDeps, deadline: number, summary: RefundReconcileSummary): BudgetedRun<Refund> {
  return {
    now: deps.now,
    deadline,
    onTruncated: () => (summary.truncated = true),
    onFailed: (refund, err) => {
      summary.failed += 1;
      deps.log('refund.reconcile_failed', { outTradeNo: refund.outTradeNo, outRefundNo: refund.outRefundNo, code: errorCode(err) });
    },
  };
}

async function reconcileOne(deps: RefundDeps, refund: Refund, summary: RefundReconcileSummary): Promise<void> {
  await deps.db.collection(COLLECTIONS.refunds).where({ _id: refund._id }).update({ data: { lastCheckedAt: new Date(deps.now()) } });
  let wx;
  try {
    wx = await deps.refundPay.queryRefund(refund.outRefundNo);
  } catch (err) {
    if (!NOT_FOUND.has((err as { code?: string }).code ?? '')) throw err;
    summary.resubmitted += 1;
    const outcome = await submitRefund(deps, refund, 'reconcile');
    if (outcome.kind === 'unavailable') throw Object.assign(new Error('refund resubmission failed'), { code: outcome.code });
    if (outcome.kind === 'deferred') summary.deferred += 1;
    if (outcome.kind === 'refused') summary.closed += 1;
    return;
  }
  const outcome = await syncRefund(deps, refund, wx, 'reconcile', `reconcile:${refund.outRefundNo}:${wx.status ?? ''}`);
  if (outcome.kind !== 'applied') return;
  if (outcome.result.to === 'SUCCESS') summary.succeeded += 1;
  if (outcome.result.to === 'CLOSED') summary.closed += 1;
  if (outcome.result.to === 'ABNORMAL') summary.abnormal += 1;
}
