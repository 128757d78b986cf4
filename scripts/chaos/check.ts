/**
 * The invariants, checked against the simulator's own ledger (what WeChat Pay says happened), the
 * database (what we say happened) and the customers' acknowledgements (what we told people).
 */
import type { CustomerRecord } from './customers';

export interface LedgerRefund {
  out_refund_no: string;
  refund_id: string;
  status: string;
  amount: number;
}

export interface LedgerTx {
  out_trade_no: string;
  transaction_id?: string;
  /** WeChat Pay's word: REFUND as soon as any refund was created, partial or full. */
  trade_state: string;
  amount: { total: number };
  success_time?: string | null;
  refunds?: LedgerRefund[];
}

export interface StoredRefund {
  _id: string;
  outTradeNo: string;
  amount: number;
  status: string;
  refundId: string | null;
  transitions?: Array<{ from: string; to: string }>;
}

export interface StoredOrder {
  _id: string;
  openid: string;
  status: string;
  amount: { total: number };
  transactionId?: string;
  expiresAt: Date | string;
  transitions: Array<{ from: string; to: string; source: string }>;
  refundedTotal?: number;
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
  /** The refunds collection (absent: a run without refunds). */
  refunds?: StoredRefund[];
  /** payment_events of kind refund, by _id (`refund:<no>:<from>:<to>`), counted. */
  refundEvents?: Map<string, number>;
}

export interface CheckResult {
  violations: string[];
  /** Not a broken invariant, but worth knowing. */
  notes: string[];
}

/** Paid at WeChat Pay (its REFUND means "has refunds", partial included). */
const PAID = new Set(['SUCCESS', 'REFUND']);
/** Paid here: SUCCESS, or REFUND once refunds reached the total. */
const PAID_HERE = new Set(['SUCCESS', 'REFUND']);

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
    // Fully refunded is decided by what WeChat Pay actually refunded, not by its trade_state.
    const refunded = sum((tx.refunds ?? []).filter((r) => r.status === 'SUCCESS'));
    const full = refunded === tx.amount.total;
    const expected = full ? 'REFUND' : 'SUCCESS';
    if (order.status !== expected) violations.push(`${tx.out_trade_no}: paid at WeChat Pay but ${order.status} here, expected ${expected} (${refunded} of ${tx.amount.total} refunded there)`);
    if (order.transactionId !== tx.transaction_id) violations.push(`${tx.out_trade_no}: transactionId ${order.transactionId} here, ${tx.transaction_id} at WeChat Pay`);
    const toSuccess = order.transitions.filter((t) => t.to === 'SUCCESS').length;
    const toRefund = order.transitions.filter((t) => t.from === 'SUCCESS' && t.to === 'REFUND').length;
    if (order.transitions.length !== (full ? 2 : 1) || toSuccess !== 1 || toRefund !== (full ? 1 : 0)) {
      violations.push(`${tx.out_trade_no}: ${order.transitions.length} transitions (${order.transitions.map((t) => `${t.from}→${t.to}/${t.source}`).join(', ')}), expected exactly one to SUCCESS${full ? ' and one SUCCESS→REFUND' : ''}`);
    }
    const audit = input.transitionEvents.get(tx.out_trade_no) ?? 0;
    const expectedAudit = full ? 2 : 1;
    if (audit !== expectedAudit) violations.push(`${tx.out_trade_no}: ${audit} transition records in payment_events (audit log), expected exactly ${expectedAudit === 1 ? 'one' : 'two'}`);
    const refundedHere = order.refundedTotal ?? 0;
    if (refundedHere !== refunded) violations.push(`${tx.out_trade_no}: refundedTotal ${refundedHere} here, ${refunded} refunded at WeChat Pay`);
    if (refundedHere > order.amount.total) violations.push(`${tx.out_trade_no}: refundedTotal ${refundedHere} exceeds the total ${order.amount.total}`);
    if (input.refunds) {
      const succeeded = sum(input.refunds.filter((r) => r.outTradeNo === tx.out_trade_no && r.status === 'SUCCESS'));
      if (succeeded !== refunded) violations.push(`${tx.out_trade_no}: SUCCESS refunds here sum to ${succeeded}, WeChat Pay refunded ${refunded}`);
    }
  }
  if (input.refunds) checkRefunds(input, violations);

  for (const order of input.orders) {
    const tx = ledgerByNo.get(order._id);
    if (PAID_HERE.has(order.status) && !(tx && PAID.has(tx.trade_state))) violations.push(`${order._id}: ${order.status} here but WeChat Pay has ${tx?.trade_state ?? 'nothing'}`);
    if (!(tx && PAID.has(tx.trade_state)) && (order.refundedTotal ?? 0) !== 0) violations.push(`${order._id}: refundedTotal ${order.refundedTotal} on an order WeChat Pay has not been paid for`);
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
      if (c.sawSuccess && !PAID_HERE.has(order.status)) violations.push(`customer ${c.index}: was told SUCCESS, stored ${order.status}`);
    }
    for (const r of c.refunds ?? []) {
      if (r.answer !== 'ok') continue;
      const here = input.refunds?.find((d) => d._id === r.outRefundNo);
      if (!here) violations.push(`customer ${c.index}: refundOrder acknowledged refund ${r.outRefundNo}, the database lost it`);
      else if (here.amount !== r.refundedAmount) violations.push(`customer ${c.index}: refund ${r.outRefundNo} acknowledged for ${r.refundedAmount}, stored ${here.amount}`);
    }
    const acknowledged = sum((c.refunds ?? []).filter((r) => r.answer === 'ok').map((r) => ({ amount: r.refundedAmount ?? 0 })));
    if (c.amount !== undefined && acknowledged > c.amount) violations.push(`customer ${c.index}: refunds acknowledged for ${acknowledged}, more than the ${c.amount} paid`);
    if (c.transactionId && ledgerByNo.get(c.outTradeNo)?.transaction_id !== c.transactionId) {
      violations.push(`customer ${c.index}: paid as ${c.transactionId}, ledger disagrees`);
    }
  }

  for (const no of input.acknowledgedNotifications) {
    const status = input.statusAtSettle.get(no);
    if (!status || !PAID_HERE.has(status)) violations.push(`${no}: payNotify acknowledged its payment, but the database had ${status ?? 'no order'} after settling`);
  }
  return { violations, notes };
}

const sum = (items: Array<{ amount: number }>): number => items.reduce((s, r) => s + r.amount, 0);

/**
 * Refund by refund: ours and WeChat Pay's must be the same set, with the same amounts, ids and
 * (after reconciliation) statuses. The one record allowed here without a counterpart there is a
 * request WeChat Pay refused outright: CLOSED, no refund id, no money moved. Each transition a
 * refund went through has exactly one audit record.
 */
function checkRefunds(input: CheckInput, violations: string[]): void {
  const theirs = new Map<string, LedgerRefund & { out_trade_no: string }>();
  for (const tx of input.ledger) for (const r of tx.refunds ?? []) theirs.set(r.out_refund_no, { ...r, out_trade_no: tx.out_trade_no });
  const ours = new Map((input.refunds ?? []).map((r) => [r._id, r]));
  for (const r of input.refunds ?? []) {
    const wx = theirs.get(r._id);
    if (!wx) {
      if (r.status !== 'CLOSED' || r.refundId) violations.push(`refund ${r._id}: ${r.status} here (refundId ${r.refundId}) but WeChat Pay has no such refund`);
      continue;
    }
    if (wx.out_trade_no !== r.outTradeNo) violations.push(`refund ${r._id}: for order ${r.outTradeNo} here, ${wx.out_trade_no} at WeChat Pay`);
    if (wx.amount !== r.amount) violations.push(`refund ${r._id}: amount ${r.amount} here, ${wx.amount} at WeChat Pay`);
    if (wx.status !== r.status) violations.push(`refund ${r._id}: ${r.status} here, ${wx.status} at WeChat Pay (after reconciliation)`);
    if (r.refundId !== wx.refund_id) violations.push(`refund ${r._id}: refundId ${r.refundId} here, ${wx.refund_id} at WeChat Pay`);
  }
  for (const [no, wx] of theirs) {
    if (!ours.has(no)) violations.push(`refund ${no}: WeChat Pay has it (${wx.status}, ${wx.amount} fen of order ${wx.out_trade_no}) but the database does not`);
  }
  if (!input.refundEvents) return;
  for (const r of input.refunds ?? []) {
    for (const t of r.transitions ?? []) {
      const n = input.refundEvents.get(`refund:${r._id}:${t.from}:${t.to}`) ?? 0;
      if (n !== 1) violations.push(`refund ${r._id}: ${n} audit records for ${t.from}→${t.to}, expected exactly one`);
    }
  }
}
