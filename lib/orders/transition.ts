/**
 * The one state-transition function for orders (payments, and the refund side's SUCCESS → REFUND). Notifications, the client's "is it paid?" query
 * and the reconciliation timer all end here. Each step is a conditional update on the order's
 * current status, so duplicates, concurrent notifications and notify-vs-timer races produce
 * exactly one transition and exactly one history entry: whoever loses the race updates 0 rows.
 */
import type { Database } from '../store/db';
import type { Order, OrderStatus, OrderTransition, TransitionSource } from './model';
import { COLLECTIONS } from '../store/collections';

/** What WeChat Pay says about a payment (from a verified notification or a verified query). */
export interface TradeFacts {
  tradeState: string;
  transactionId?: string;
  successTime?: string;
}

interface Step {
  to: OrderStatus;
  /** Tried in this order; each attempt is conditional on exactly that status. */
  from: OrderStatus[];
}

/**
 * WeChat's trade_state → our transition. REFUND means "was paid, then refunded": for the payment
 * state machine that is a payment we must not lose. A verified SUCCESS is believed even for an
 * order we had closed or marked failed: the money was taken, so the order is paid.
 */
export function stepFor(tradeState: string): Step | null {
  switch (tradeState) {
    case 'SUCCESS':
    case 'REFUND':
      return { to: 'SUCCESS', from: ['NOTPAY', 'PAYERROR', 'CLOSED'] };
    case 'CLOSED':
    case 'REVOKED':
      // PAYERROR is unpaid and still payable at WeChat Pay: it closes like NOTPAY.
      return { to: 'CLOSED', from: ['NOTPAY', 'PAYERROR'] };
    case 'PAYERROR':
      return { to: 'PAYERROR', from: ['NOTPAY'] };
    default:
      return null; // NOTPAY, USERPAYING: nothing has happened yet.
  }
}

export interface TransitionResult {
  applied: boolean;
  from?: OrderStatus;
  to?: OrderStatus;
  /** When applied: what the step wrote (so a caller holding the order need not read it again). */
  changes?: Pick<Order, 'status' | 'updatedAt'> & Partial<Pick<Order, 'transactionId' | 'paidAt'>> & { entry: OrderTransition };
}

/** Every order step there is: the trade steps above plus the refund side's SUCCESS → REFUND. */
const EDGES: Array<[OrderStatus, OrderStatus]> = [
  ...(['SUCCESS', 'CLOSED', 'PAYERROR'] as const).flatMap((s) => stepFor(s)!.from.map((f): [OrderStatus, OrderStatus] => [f, stepFor(s)!.to])),
  ['SUCCESS', 'REFUND'],
];

/** The statuses an order that was `status` may have by now (itself included). */
function reachableFrom(status: OrderStatus): Set<OrderStatus> {
  const seen = new Set<OrderStatus>([status]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [a, b] of EDGES) {
      if (seen.has(a) && !seen.has(b)) {
        seen.add(b);
        grew = true;
      }
    }
  }
  return seen;
}

export interface TransitionOptions {
  source: TransitionSource;
  now: number;
  /**
   * The status the caller last read. Only `from` statuses the order can still be in are tried, that
   * one first: a read that already shows the step done (or past it) costs no update at all.
   */
  current?: OrderStatus;
  /** A guess instead of a read (e.g. NOTPAY for a payment notification): only that status is tried. */
  guess?: OrderStatus;
  /** Further conditions the order must meet, part of the same conditional update (paidOrderGuard). */
  guard?: Record<string, unknown>;
}

export async function applyTradeState(db: Database, outTradeNo: string, facts: TradeFacts, options: TransitionOptions): Promise<TransitionResult> {
  const step = stepFor(facts.tradeState);
  if (!step) return { applied: false };
  const at = new Date(options.now);
  const current = options.current;
  const candidates = options.guess !== undefined ? step.from.filter((f) => f === options.guess)
    : current === undefined ? step.from
    : [...step.from.filter((f) => f === current), ...step.from.filter((f) => f !== current && reachableFrom(current).has(f))];
  for (const from of candidates) {
    const data: Record<string, unknown> = {};
    if (step.to === 'SUCCESS') {
      if (facts.transactionId) data.transactionId = facts.transactionId;
      data.paidAt = facts.successTime ? new Date(facts.successTime) : at;
    }
    const entry: OrderTransition = { from, to: step.to, source: options.source, at, ...(facts.transactionId ? { transactionId: facts.transactionId } : {}) };
    if (await applyStep(db, outTradeNo, entry, options.guard ?? {}, data)) {
      return { applied: true, from, to: step.to, changes: { status: step.to, updatedAt: at, entry, ...data } };
    }
  }
  return { applied: false, to: step.to };
}

/**
 * The refund side's one step on an order: SUCCESS → REFUND once the settled refunds reach the paid
 * total. The total is part of the same conditional update (refundedTotal only grows), so however
 * many settlements race, exactly one of them makes the step and its history entry.
 */
export async function applyFullyRefunded(
  db: Database,
  order: Pick<Order, 'outTradeNo' | 'amount'>,
  options: { now: number },
): Promise<TransitionResult> {
  const entry: OrderTransition = { from: 'SUCCESS', to: 'REFUND', source: 'refund', at: new Date(options.now) };
  const applied = await applyStep(db, order.outTradeNo, entry, { refundedTotal: db.command.gte(order.amount.total) }, {});
  return applied ? { applied, from: entry.from, to: entry.to } : { applied, to: entry.to };
}

/** How many different steps an order can make (its history holds each at most once: no step leads back). */
export const ORDER_STEP_KINDS = EDGES.length;

/**
 * Every order step is this one conditional update: status `from` (plus `guard`) → `to`, with its
 * history entry. It also marks the order `auditPending`: its audit records are not yet verified by
 * the timer. The caller writes the step's record next (a second write that can fail); the timer's
 * audit pass writes whatever a failed caller left and clears the mark (audit.ts).
 */
async function applyStep(db: Database, outTradeNo: string, entry: OrderTransition, guard: Record<string, unknown>, data: Record<string, unknown>): Promise<boolean> {
  const { stats } = await db
    .collection(COLLECTIONS.orders)
    .where({ ...guard, _id: outTradeNo, status: entry.from })
    // A step is also a check of the order against WeChat Pay: the timer's queue (lastCheckedAt) moves on.
    .update({ data: { status: entry.to, updatedAt: entry.at, lastCheckedAt: entry.at, transitions: db.command.push(entry), auditPending: true, ...data } });
  return (stats.updated ?? 0) > 0;
}

/**
 * The checks of a transaction that need no order: ours (appid, mchid), and a JSAPI payment always
 * names its payer — a transaction without one is not proof that the order's owner paid.
 */
export function transactionMismatch(
  tx: { appid?: string; mchid?: string; payer?: { openid?: string } },
  expected: { appid: string; mchid: string },
): string | null {
  if (tx.appid !== expected.appid) return `appid ${tx.appid} is not ours`;
  if (tx.mchid !== expected.mchid) return `mchid ${tx.mchid} is not ours`;
  if (!tx.payer?.openid) return 'payer openid missing from a JSAPI transaction';
  return null;
}

/**
 * The order-side money checks of mismatchReason as conditions of the conditional update itself
 * (payer is the owner, amount and currency equal): a payment is applied only to an order that
 * matches it, whether or not the caller read the order first. Null when the transaction lacks a fact
 * (then it cannot match: mismatchReason says why).
 */
export function paidOrderGuard(tx: { amount?: { total?: number; currency?: string }; payer?: { openid?: string } }): Record<string, unknown> | null {
  if (typeof tx.payer?.openid !== 'string' || typeof tx.amount?.total !== 'number') return null;
  return { openid: tx.payer?.openid, 'amount.total': tx.amount?.total, 'amount.currency': tx.amount?.currency ?? 'CNY' };
}

/** Money checks before a transaction may touch an order. Returns why it must not, or null. */
export function mismatchReason(
  order: Pick<Order, 'openid' | 'amount'>,
  tx: { appid?: string; mchid?: string; amount?: { total?: number; currency?: string }; payer?: { openid?: string } },
  expected: { appid: string; mchid: string },
): string | null {
  const own = transactionMismatch(tx, expected);
  if (own) return own;
  if (tx.amount?.total !== order.amount.total) return `amount ${tx.amount?.total} differs from the order's ${order.amount.total}`;
  if ((tx.amount?.currency ?? 'CNY') !== order.amount.currency) return `currency ${tx.amount?.currency} differs from the order's`;
  if (tx.payer!.openid !== order.openid) return 'payer openid differs from the order owner';
  return null;
}
