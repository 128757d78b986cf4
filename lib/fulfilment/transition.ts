/**
 * The one fulfilment transition function. Every source — staff shipping, the automatic virtual
 * delivery, the settlement push, the getOrder poll, a refusal that undoes a shipment — ends here.
 * Each step is one conditional update on the order: paid (payment status SUCCESS, so a refunded
 * order takes no step), fulfilment in `from` (plus the step's own guard, e.g. the outbox id), so
 * duplicates and races produce exactly one change and one history entry.
 */
import { COLLECTIONS } from '../store/collections';
import type { Database, Doc } from '../store/db';
import { emptyFulfilment, type DeliveryKind, type Fulfilment, type FulfilmentSource, type FulfilmentStatus, type FulfilmentTransition } from './model';

export interface FulfilmentStep {
  from: FulfilmentStatus;
  to: FulfilmentStatus;
  source: FulfilmentSource;
  /** Extra conditions on the order, e.g. {'fulfilment.outbox.id': id}. */
  guard?: Doc;
  /** Other fulfilment fields written in the same update (outbox, shipments, …). */
  set?: Partial<Fulfilment>;
  /** false: bookkeeping only (e.g. clearing the outbox), no history entry. Default: an entry. */
  record?: boolean;
  errcode?: number;
}

export async function applyFulfilment(db: Database, outTradeNo: string, step: FulfilmentStep, now: number): Promise<boolean> {
  const at = new Date(now);
  const data: Doc = { 'fulfilment.status': step.to, updatedAt: at };
  // Objects and lists replace the field whole: the SDK would flatten them into dotted paths, which
  // fails under a null parent (e.g. the cleared outbox) and would merge stale keys otherwise.
  for (const [k, v] of Object.entries(step.set ?? {})) data[`fulfilment.${k}`] = v !== null && typeof v === 'object' && !(v instanceof Date) ? db.command.set(v) : v;
  if (step.record !== false) {
    const entry: FulfilmentTransition = { from: step.from, to: step.to, source: step.source, at, ...(step.errcode !== undefined ? { errcode: step.errcode } : {}) };
    data['fulfilment.history'] = db.command.push(entry);
  }
  const { stats } = await db
    .collection(COLLECTIONS.orders)
    .where({ ...(step.guard ?? {}), _id: outTradeNo, status: 'SUCCESS', 'fulfilment.status': step.from })
    .update({ data });
  return (stats.updated ?? 0) > 0;
}

/**
 * A paid order gets its fulfilment record on first use (staff shipping, the virtual delivery, a
 * check): conditional on there being none, so concurrent first uses create it once.
 */
export async function ensureFulfilment(db: Database, outTradeNo: string, kind: DeliveryKind, now: number): Promise<void> {
  await db
    .collection(COLLECTIONS.orders)
    .where({ _id: outTradeNo, status: 'SUCCESS', fulfilment: db.command.exists(false) })
    .update({ data: { fulfilment: emptyFulfilment(kind), updatedAt: new Date(now) } });
}

/** Where the platform's order_state (getOrder) takes us; null when it says nothing new. */
export function statusForOrderState(orderState: number): FulfilmentStatus | null {
  switch (orderState) {
    case 2:
      return 'SHIPPED';
    case 3:
      return 'CONFIRMED';
    case 4:
      return 'SETTLED';
    default:
      return null; // 1 待发货, 5 已退款, 6 资金待结算: no fulfilment step of ours
  }
}

const ORDER: FulfilmentStatus[] = ['PENDING', 'SHIPPED', 'CONFIRMED', 'SETTLED'];
/** The platform only moves forward: a step backwards (stale poll, late push) is never applied. */
export const isForward = (from: FulfilmentStatus, to: FulfilmentStatus): boolean => ORDER.indexOf(to) > ORDER.indexOf(from);
