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
}

export async function applyTradeState(
  db: Database,
  outTradeNo: string,
  facts: TradeFacts,
  options: { source: TransitionSource; now: number },
): Promise<TransitionResult> {
  const step = stepFor(facts.tradeState);
  if (!step) return { applied: false };
  const at = new Date(options.now);
  for (const from of step.from) {
    const data: Record<string, unknown> = {};
    if (step.to === 'SUCCESS') {
      if (facts.transactionId) data.transactionId = facts.transactionId;
      data.paidAt = facts.successTime ? new Date(facts.successTime) : at;
    }
    const entry: OrderTransition = { from, to: step.to, source: options.source, at, ...(facts.transactionId ? { transactionId: facts.transactionId } : {}) };
    if (await applyStep(db, outTradeNo, entry, {}, data)) return { applied: true, from, to: step.to };
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

/**
 * Every order step is this one conditional update: status `from` (plus `guard`) → `to`, with its
 * history entry. It also marks the order `auditPending` until the step's audit record is written
 * (a second write that can fail): the timer finishes what a failed caller left (reconcile.ts).
 */
async function applyStep(db: Database, outTradeNo: string, entry: OrderTransition, guard: Record<string, unknown>, data: Record<string, unknown>): Promise<boolean> {
  const { stats } = await db
    .collection(COLLECTIONS.orders)
    .where({ ...guard, _id: outTradeNo, status: entry.from })
    .update({ data: { status: entry.to, updatedAt: entry.at, transitions: db.command.push(entry), auditPending: true, ...data } });
  return (stats.updated ?? 0) > 0;
}

/** Money checks before a transaction may touch an order. Returns why it must not, or null. */
export function mismatchReason(
  order: Pick<Order, 'openid' | 'amount'>,
  tx: { appid?: string; mchid?: string; amount?: { total?: number; currency?: string }; payer?: { openid?: string } },
  expected: { appid: string; mchid: string },
): string | null {
  if (tx.appid !== expected.appid) return `appid ${tx.appid} is not ours`;
  if (tx.mchid !== expected.mchid) return `mchid ${tx.mchid} is not ours`;
  if (tx.amount?.total !== order.amount.total) return `amount ${tx.amount?.total} differs from the order's ${order.amount.total}`;
  if ((tx.amount?.currency ?? 'CNY') !== order.amount.currency) return `currency ${tx.amount?.currency} differs from the order's`;
  // Every order of ours is JSAPI, and a JSAPI payment always names its payer: a transaction
  // without one is not proof that the order's owner paid, so it is a mismatch, not a pass.
  if (!tx.payer?.openid) return 'payer openid missing from a JSAPI transaction';
  if (tx.payer.openid !== order.openid) return 'payer openid differs from the order owner';
  return null;
}
