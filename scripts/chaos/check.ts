/**
 * The invariants, checked against the simulator's own ledger (what WeChat Pay says happened), the
 * database (what we say happened) and the customers' acknowledgements (what we told people).
 */
import type { CustomerRecord } from './customers';

export interface LedgerTx {
  out_trade_no: string;
  transaction_id?: string;
  trade_state: string;
  amount: { total: number };
}

export interface StoredOrder {
  _id: string;
  openid: string;
  status: string;
  amount: { total: number };
  transactionId?: string;
  expiresAt: Date | string;
  transitions: Array<{ from: string; to: string; source: string }>;
}

export interface CheckInput {
  customers: CustomerRecord[];
  orders: StoredOrder[];
  ledger: LedgerTx[];
  /** payment_events of kind transition, counted per order (the audit log). */
  transitionEvents: Map<string, number>;
  /** Orders whose TRANSACTION.SUCCESS notification payNotify acknowledged with a 2xx. */
  acknowledgedNotifications: Set<string>;
  /** Database status of those orders read right after deliveries settled, before any expiry or reconciliation. */
  statusAtSettle: Map<string, string>;
  now: number;
}

export interface CheckResult {
  violations: string[];
  /** Not a broken invariant, but worth knowing. */
  notes: string[];
}

const PAID = new Set(['SUCCESS', 'REFUND']);

export function checkInvariants(input: CheckInput): CheckResult {
  const violations: string[] = [];
  const notes: string[] = [];
  const byNo = new Map(input.orders.map((o) => [o._id, o]));
  const ledgerByNo = new Map(input.ledger.map((t) => [t.out_trade_no, t]));

  for (const tx of input.ledger) {
    const order = byNo.get(tx.out_trade_no);
    if (!order) {
      violations.push(`${tx.out_trade_no}: WeChat Pay has it (${tx.trade_state}) but the database does not`);
      continue;
    }
    if (order.amount.total !== tx.amount.total) violations.push(`${tx.out_trade_no}: amount ${order.amount.total} here, ${tx.amount.total} at WeChat Pay`);
    if (!PAID.has(tx.trade_state)) continue;
    if (order.status !== 'SUCCESS') violations.push(`${tx.out_trade_no}: paid at WeChat Pay but ${order.status} here`);
    if (order.transactionId !== tx.transaction_id) violations.push(`${tx.out_trade_no}: transactionId ${order.transactionId} here, ${tx.transaction_id} at WeChat Pay`);
    const toSuccess = order.transitions.filter((t) => t.to === 'SUCCESS').length;
    if (order.transitions.length !== 1 || toSuccess !== 1) {
      violations.push(`${tx.out_trade_no}: ${order.transitions.length} transitions (${order.transitions.map((t) => `${t.from}→${t.to}/${t.source}`).join(', ')}), expected exactly one to SUCCESS`);
    }
    const audit = input.transitionEvents.get(tx.out_trade_no) ?? 0;
    if (audit !== 1) violations.push(`${tx.out_trade_no}: ${audit} transition records in payment_events (audit log), expected exactly one`);
  }

  for (const order of input.orders) {
    const tx = ledgerByNo.get(order._id);
    if (order.status === 'SUCCESS' && !(tx && PAID.has(tx.trade_state))) violations.push(`${order._id}: SUCCESS here but WeChat Pay has ${tx?.trade_state ?? 'nothing'}`);
    const expired = new Date(order.expiresAt).getTime() <= input.now;
    const paid = tx && PAID.has(tx.trade_state);
    if (expired && !paid && order.status !== 'CLOSED') violations.push(`${order._id}: expired and unpaid but ${order.status}, not CLOSED`);
    if (expired && !paid && tx && tx.trade_state !== 'CLOSED') violations.push(`${order._id}: expired and unpaid, but WeChat Pay still has it ${tx.trade_state} (not closed there)`);
    if (order.status === 'NOTPAY' || order.status === 'PAYERROR') violations.push(`${order._id}: still pending (${order.status}) after reconciliation`);
  }

  for (const c of input.customers) {
    if (!c.outTradeNo) continue;
    const order = byNo.get(c.outTradeNo);
    if (!order) violations.push(`customer ${c.index}: createOrder acknowledged ${c.outTradeNo}, the database lost it`);
    else {
      if (order.amount.total !== c.amount) violations.push(`customer ${c.index}: told amount ${c.amount}, stored ${order.amount.total}`);
      if (order.openid !== c.openid) violations.push(`customer ${c.index}: order ${c.outTradeNo} belongs to ${order.openid}`);
      if (c.sawSuccess && order.status !== 'SUCCESS') violations.push(`customer ${c.index}: was told SUCCESS, stored ${order.status}`);
    }
    if (c.transactionId && ledgerByNo.get(c.outTradeNo)?.transaction_id !== c.transactionId) {
      violations.push(`customer ${c.index}: paid as ${c.transactionId}, ledger disagrees`);
    }
  }

  for (const no of input.acknowledgedNotifications) {
    const status = input.statusAtSettle.get(no);
    if (status !== 'SUCCESS') violations.push(`${no}: payNotify acknowledged its payment, but the database had ${status ?? 'no order'} after settling`);
  }
  return { violations, notes };
}
