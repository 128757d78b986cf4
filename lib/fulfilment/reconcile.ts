/**
 * The fulfilment half of the timer (queryOrder's trigger), budgeted like payment reconciliation:
 *   1. uploads still owed (outbox older than outboxMinAgeSeconds, default a minute) are sent again, identical;
 *   2. paid virtual orders not yet recorded are delivered (logistics_type 3);
 *   3. SHIPPED / CONFIRMED orders not checked for checkMinAgeSeconds are asked about (getOrder),
 *      because the settlement push may never come.
 * Refunded orders are not paid (status REFUND) and drop out of every query.
 */
import { COLLECTIONS } from '../store/collections';
import { workWithinBudget, errorCode } from '../store/budget';
import type { Order } from '../orders/model';
import type { FulfilmentDeps } from './deps';
import { checkWithPlatform } from './check';
import { sendOutbox } from './outbox';
import { deliverVirtual } from './ship';

export interface FulfilmentReconcileSummary {
  resent: number;
  delivered: number;
  checked: number;
  moved: number;
  failed: number;
  truncated: boolean;
}

/** Items of each kind (owed uploads, virtual deliveries, getOrder polls) one tick takes on. */
export const FULFILMENT_BATCH = 50;
const BATCH = FULFILMENT_BATCH;

export async function reconcileFulfilment(deps: FulfilmentDeps, budgetMs = 20_000): Promise<FulfilmentReconcileSummary> {
  const now = deps.now();
  const _ = deps.db.command;
  const orders = deps.db.collection(COLLECTIONS.orders);
  const s: FulfilmentReconcileSummary = { resent: 0, delivered: 0, checked: 0, moved: 0, failed: 0, truncated: false };
  const run = { now: deps.now, deadline: now + budgetMs, onTruncated: () => void (s.truncated = true), onFailed: (o: Order, err: unknown) => { s.failed++; deps.log('fulfilment.check_failed', { outTradeNo: o.outTradeNo, code: errorCode(err) }); } };

  const owed = (await orders.where({ status: 'SUCCESS', 'fulfilment.outbox.since': _.lt(new Date(now - deps.outboxMinAgeSeconds * 1000 + 1)) }).limit(BATCH).get()).data as unknown as Order[];
  await workWithinBudget(owed, run, async (o) => {
    if (!o.fulfilment?.outbox) return;
    s.resent++;
    await sendOutbox(deps, o.outTradeNo, o.fulfilment.outbox);
  });

  const virtual = (await orders.where({ status: 'SUCCESS', deliveryKind: 'virtual', 'fulfilment.status': _.nin(['SHIPPED', 'CONFIRMED', 'SETTLED']) }).limit(BATCH).get()).data as unknown as Order[];
  await workWithinBudget(virtual, run, async (o) => {
    const out = await deliverVirtual(deps, o.outTradeNo);
    if (out?.kind === 'done') s.delivered++;
  });

  const stale = (await orders.where({ status: 'SUCCESS', 'fulfilment.status': _.in(['SHIPPED', 'CONFIRMED']), 'fulfilment.outbox': null, 'fulfilment.checkedAt': _.lt(new Date(now - deps.checkMinAgeSeconds * 1000)) }).orderBy('fulfilment.checkedAt', 'asc').limit(BATCH).get()).data as unknown as Order[];
  await workWithinBudget(stale, run, async (o) => {
    if (!o.fulfilment) return;
    s.checked++;
    const out = await checkWithPlatform(deps, o.outTradeNo, o.fulfilment, 'poll');
    if (out.kind === 'moved') s.moved++;
  });
  deps.log('fulfilment.summary', { ...s });
  return s;
}
