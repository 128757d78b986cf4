/**
 * The one state-transition function for payments. Notifications, the client's "is it paid?" query
 * and the reconciliation timer all end here. Each step is a conditional update on the order's
 * current status, so duplicates, concurrent notifications and notify-vs-timer races produce
 * exactly one transition and exactly one history entry: whoever loses the race updates 0 rows.
 */
import type { Database } from './db';
import { COLLECTIONS, type Order, type OrderStatus, type TransitionSource } from './model';

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
  const orders = db.collection(COLLECTIONS.orders);
  for (const from of step.from) {
    const data: Record<string, unknown> = {
      status: step.to,
      updatedAt: at,
      transitions: db.command.push({
        from,
        to: step.to,
        source: options.source,
        at,
        ...(facts.transactionId ? { transactionId: facts.transactionId } : {}),
      }),
    };
    if (step.to === 'SUCCESS') {
      if (facts.transactionId) data.transactionId = facts.transactionId;
      data.paidAt = facts.successTime ? new Date(facts.successTime) : at;
    }
    const { stats } = await orders.where({ _id: outTradeNo, status: from }).update({ data });
    if ((stats.updated ?? 0) > 0) return { applied: true, from, to: step.to };
  }
  return { applied: false, to: step.to };
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
  if (tx.payer?.openid !== undefined && tx.payer.openid !== order.openid) return 'payer openid differs from the order owner';
  return null;
}
