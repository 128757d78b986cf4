// Domestic refunds: created PROCESSING, finished after refundDelaySeconds (compressed by the time
// scale) with the outcome set by the refundOutcome fault (default SUCCESS), then notified.
import { formatWechatTime } from '../../lib/wechatpay/time';
import { paramError, resourceNotExists, SimError } from './errors';
import { parseJson, type Ctx, type Reply } from './http';
import { refundId } from './ids';
import { enqueueNotification } from './notify';
import { orderKey, type SimState } from './state';
import type { Order, Refund } from './types';
import { canonical, currency, int, notifyUrl, obj, str, type Body } from './validate';

const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
const MAX_REFUNDS_PER_ORDER = 50;
const REFUND_WINDOW_MS = 365 * 24 * 3600 * 1000;
/** Refund API doc, note 9: two refund requests for the same order must be at least a minute apart. */
export const REFUND_SPACING_MS = 60_000;

export function refundView(r: Refund, o: Order): Body {
  return {
    refund_id: r.refund_id,
    out_refund_no: r.out_refund_no,
    transaction_id: r.transaction_id,
    out_trade_no: r.out_trade_no,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(r.success_time ? { success_time: r.success_time } : {}),
    create_time: formatWechatTime(r.createdAt),
    status: r.status,
    funds_account: r.funds_account ?? 'AVAILABLE',
    amount: {
      total: r.amount.total, refund: r.amount.refund, payer_total: o.amount.total, payer_refund: r.amount.refund,
      settlement_refund: r.amount.refund, settlement_total: o.amount.total, discount_refund: 0, currency: r.amount.currency,
      from: [],
    },
    promotion_detail: [],
  };
}

function findOrder(state: SimState, mchid: string, body: Body): Order {
  const txn = str(body, 'transaction_id', { max: 32 });
  const otn = str(body, 'out_trade_no', { max: 32 });
  if (!txn && !otn) throw paramError('out_trade_no', 'either transaction_id or out_trade_no is required');
  const key = txn ? state.transactions.get(txn) : orderKey(mchid, otn!);
  const o = key ? state.orders.get(key) : undefined;
  if (!o || o.mchid !== mchid || (txn && otn && o.out_trade_no !== otn)) throw resourceNotExists('order');
  return o;
}

export function createRefund(state: SimState, ctx: Ctx): Reply {
  const body = parseJson(ctx);
  const outRefundNo = str(body, 'out_refund_no', { required: true, pattern: OUT_REFUND_NO })!;
  const reason = str(body, 'reason', { maxBytes: 80 });
  const notify = notifyUrl(body, 'notify_url', false);
  const fundsAccount = str(body, 'funds_account');
  obj(body, 'amount', true);
  const refund = int(body, 'amount.refund', { required: true, min: 1 })!;
  const total = int(body, 'amount.total', { required: true, min: 1 })!;
  const cur = currency(body, 'amount.currency');
  const o = findOrder(state, ctx.mchid, body);
  const fingerprint = canonical({ o: o.out_trade_no, reason, notify, refund, total, cur, fundsAccount });

  const key = orderKey(ctx.mchid, outRefundNo);
  const existing = state.refunds.get(key);
  // Retrying after SYSTEM_ERROR with the same out_refund_no must be safe: identical request → same refund.
  if (existing) {
    if (existing.fingerprint !== fingerprint) throw new SimError(400, 'INVALID_REQUEST', 'out_refund_no already used with different parameters');
    return { status: 200, body: refundView(existing, o) };
  }
  if (o.trade_state !== 'SUCCESS' && o.trade_state !== 'REFUND') throw new SimError(403, 'TRADE_ERROR', `order is ${o.trade_state}, not paid`);
  if (total !== o.amount.total) throw paramError('amount.total', `must equal the order total ${o.amount.total}`);
  if (refund > o.amount.total - o.refunded) throw new SimError(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
  if (o.refundCount >= MAX_REFUNDS_PER_ORDER) throw new SimError(403, 'RULE_LIMIT', 'at most 50 refunds per order');
  if (state.now() - o.createdAt > REFUND_WINDOW_MS) throw new SimError(403, 'RULE_LIMIT', 'orders older than one year cannot be refunded');
  // The code of this refusal is unconfirmed (README "Assumptions"); a retry of an existing out_refund_no above is not a new request.
  if (o.lastRefundAt !== undefined && state.now() - o.lastRefundAt < REFUND_SPACING_MS) {
    throw new SimError(429, 'FREQUENCY_LIMITED', '同一笔订单的两次退款申请需间隔1分钟以上，请稍后再试');
  }

  const r: Refund = {
    mchid: ctx.mchid, refund_id: refundId(), out_refund_no: outRefundNo, out_trade_no: o.out_trade_no,
    transaction_id: o.transaction_id!, reason, notify_url: notify, funds_account: fundsAccount,
    amount: { refund, total, currency: cur }, fingerprint, status: 'PROCESSING', createdAt: state.now(),
  };
  state.refunds.set(key, r);
  state.changed('refunds', key);
  state.changed('orders', orderKey(o.mchid, o.out_trade_no));
  o.refunded += refund;
  o.refundCount += 1;
  o.lastRefundAt = state.now();
  o.trade_state = 'REFUND';
  const outcome = state.faults.refundOutcome ?? 'SUCCESS';
  // Kept on the record so that a restarted simulator finishes it the same way (persist.ts).
  r.finishAt = state.now() + (state.refundDelaySeconds * 1000) / state.timeScale;
  r.plannedOutcome = outcome;
  state.scheduler.at(r.finishAt, () => finishRefund(state, r, o, outcome));
  return { status: 200, body: refundView(r, o) };
}

/** After a restart: a PROCESSING refund finishes when it was due, with the outcome it was given. */
export function resumeRefund(state: SimState, r: Refund): void {
  if (r.status !== 'PROCESSING') return;
  const o = state.orders.get(orderKey(r.mchid, r.out_trade_no));
  if (!o) return;
  const outcome = r.plannedOutcome ?? 'SUCCESS';
  state.scheduler.at(r.finishAt ?? state.now(), () => finishRefund(state, r, o, outcome));
}

function finishRefund(state: SimState, r: Refund, o: Order, outcome: 'SUCCESS' | 'ABNORMAL' | 'CLOSED'): void {
  if (r.status !== 'PROCESSING') return;
  r.status = outcome;
  state.changed('refunds', orderKey(r.mchid, r.out_refund_no));
  state.changed('orders', orderKey(o.mchid, o.out_trade_no));
  if (outcome === 'SUCCESS') r.success_time = formatWechatTime(state.now());
  if (outcome === 'CLOSED') o.refunded -= r.amount.refund; // the money never left: refundable again
  if (!r.notify_url) return;
  const resource = {
    mchid: r.mchid, out_trade_no: r.out_trade_no, transaction_id: r.transaction_id, out_refund_no: r.out_refund_no,
    refund_id: r.refund_id, refund_status: outcome, ...(r.success_time ? { success_time: r.success_time } : {}),
    user_received_account: '支付用户零钱',
    amount: { total: o.amount.total, refund: r.amount.refund, payer_total: o.amount.total, payer_refund: r.amount.refund },
  };
  const summary = outcome === 'SUCCESS' ? '退款成功' : outcome === 'CLOSED' ? '退款关闭' : '退款异常';
  enqueueNotification(state, {
    event_type: `REFUND.${outcome}`, summary, original_type: 'refund', resource,
    notify_url: r.notify_url, out_trade_no: r.out_trade_no, out_refund_no: r.out_refund_no, mchid: r.mchid,
  });
}

export function queryRefund(state: SimState, ctx: Ctx): Reply {
  const r = state.refunds.get(orderKey(ctx.mchid, ctx.params[0]));
  if (!r) throw resourceNotExists('refund');
  return { status: 200, body: refundView(r, state.orders.get(orderKey(r.mchid, r.out_trade_no))!) };
}
