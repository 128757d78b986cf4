/**
 * The timer's audit pass over orders. `auditPending: true` means "this order's audit records are not
 * yet verified by the timer": every step sets it in its own conditional update (transition.ts
 * applyStep). The caller then writes the step's record before it answers (sync.ts applyTransition),
 * but never clears the mark — that would be a third write on every payment. A caller that failed or
 * died between the two writes leaves the record missing; this pass finds it either way.
 *
 * Per batch of marked orders, a fixed handful of requests whatever the batch holds: one read of the
 * orders, one read of payment_events for every transition record their histories imply (`_id in`,
 * only `_id`), one insert of the missing ones (only when some are missing; deterministic _ids, so a
 * record written meanwhile is a no-op: lib/store/events.ts), and one conditional clear for the whole
 * batch that only clears an order still exactly as it was read (same status and updatedAt: every
 * step changes both), so a later step's mark is never cleared before that step's record exists.
 * The cost follows the marked orders, never the total.
 */
import { errorCode } from '../store/budget';
import { COLLECTIONS } from '../store/collections';
import type { Doc } from '../store/db';
import { recordEvents } from '../store/events';
import type { OrderDeps } from './deps';
import type { Order } from './model';
import { transitionEvent } from './sync';
import { ORDER_STEP_KINDS } from './transition';

/**
 * Orders per audit batch (at most; RECONCILE_BATCH_SIZE when smaller). The one place this is chosen:
 * - its transition-record read asks for up to ORDER_STEP_KINDS (7) _ids per order in one `_id in`
 *   read, which must fit one page of the cloud database (`limit` is capped at 1000: 7 × 100 = 700);
 * - its clear is one `_.or` of one condition per order. Neither the `in` list's nor the `or`'s size
 *   limit is documented for CloudBase (*unconfirmed*; MongoDB has none below the 16 MB packet): 100
 *   is our pick, far inside both the page and the packet.
 */
export const AUDIT_BATCH_MAX = 100;
const PAGE_MAX = 1000;
if (AUDIT_BATCH_MAX * ORDER_STEP_KINDS > PAGE_MAX) throw new Error('AUDIT_BATCH_MAX × ORDER_STEP_KINDS exceeds one database page');

export interface AuditSummary {
  /** Orders whose missing audit records this pass wrote. */
  audited: number;
  /** Orders whose records were verified and whose mark was cleared. */
  verified: number;
  failed: number;
  truncated: boolean;
}

/** The fields the pass needs: the history (for the records) and what the clear compares. */
const PROJECTION = { _id: true, status: true, updatedAt: true, transitions: true, transactionId: true, amount: true };

/**
 * Marked orders not updated since `cutoff` (in-flight callers get the minimum age to finish), oldest
 * first, batch after batch until none are left or `deadline` (the first batch always runs, so a
 * backlog of pending orders never starves the audit). A failed batch is logged and counted, stays
 * marked for the next tick, and the pass moves on past it.
 */
export async function finishAudits(deps: OrderDeps, cutoff: Date, deadline: number, summary: AuditSummary): Promise<void> {
  const batchSize = Math.min(deps.settings.reconcileBatchSize, AUDIT_BATCH_MAX);
  const _ = deps.db.command;
  const marked = { auditPending: true, updatedAt: _.lte(cutoff) };
  let after: { updatedAt: Date; _id: string } | undefined;
  for (let first = true; ; first = false) {
    if (!first && deps.now() >= deadline) {
      summary.truncated = true;
      return;
    }
    // Paged by (updatedAt, _id): a batch that failed or could not be cleared is not read again this tick.
    const where = after ? _.and(marked, _.or({ updatedAt: _.gt(after.updatedAt) }, { updatedAt: after.updatedAt, _id: _.gt(after._id) }) as Doc) : marked;
    const { data } = await deps.db.collection(COLLECTIONS.orders).where(where as Doc).orderBy('updatedAt', 'asc').orderBy('_id', 'asc').field(PROJECTION).limit(batchSize).get();
    const batch = data as unknown as Order[];
    if (batch.length === 0) return;
    try {
      await auditBatch(deps, batch, summary);
    } catch (err) {
      summary.failed += 1;
      deps.log('order.audit_failed', { outTradeNo: batch[0]._id, orders: batch.length, code: errorCode(err) });
    }
    if (batch.length < batchSize) return;
    const last = batch[batch.length - 1];
    after = { updatedAt: new Date(last.updatedAt), _id: last._id };
  }
}

async function auditBatch(deps: OrderDeps, batch: Order[], summary: AuditSummary): Promise<void> {
  const _ = deps.db.command;
  const owed = batch.flatMap((order) => (order.transitions ?? []).map((t) => {
    const facts = { trade_state: t.to, transaction_id: t.transactionId ?? order.transactionId, amount: { total: order.amount?.total } };
    return transitionEvent(order._id, t, facts);
  }));
  if (owed.length > 0) {
    const { data } = await deps.db.collection(COLLECTIONS.paymentEvents).where({ _id: _.in(owed.map((e) => e._id)) }).field({ _id: true }).limit(owed.length).get();
    const present = new Set(data.map((d) => String(d._id)));
    const missing = owed.filter((e) => !present.has(e._id));
    if (missing.length > 0) {
      await recordEvents(deps.db, missing);
      summary.audited += new Set(missing.map((e) => e.outTradeNo)).size;
    }
  }
  const unchanged = batch.map((o) => ({ _id: o._id, auditPending: true, status: o.status, updatedAt: new Date(o.updatedAt) }));
  const { stats } = await deps.db.collection(COLLECTIONS.orders).where(_.or(...unchanged) as Doc).update({ data: { auditPending: false } });
  summary.verified += stats.updated ?? 0;
}
