/**
 * refundOrder for staff, top to bottom: allowlist → input → order rules → reserve the amount on
 * the order (atomic, before any call) → record the refund → ask WeChat Pay → answer. Every step is
 * safe to repeat: the same request names the same out_refund_no (ids.ts), claims the order once
 * (ledger.ts), inserts one document and sends WeChat Pay the identical request.
 */
import { APP_ERROR_CODES, AppError, invalidInput } from '../errors';
import { getDocOrNull, isDuplicateKeyError } from '../store/db';
import { toOrderView, type Order, type OrderView } from '../orders/model';
import { COLLECTIONS } from '../store/collections';
import { loadOrder } from '../orders/query';
import type { RefundDeps } from './deps';
import { outRefundNoFor, refundKeyFor } from './ids';
import { findReservation, refusalReason, reserve } from './ledger';
import { REFUND_WINDOW_MS, toRefundView, type Refund, type RefundView } from './model';
import { submitRefund } from './submit';
import { applyToOrder } from './sync';
import { parseRefundRequest, requireStaff, type RefundRequest } from './validate';

export interface RefundOrderResult {
  refund: RefundView;
  order: OrderView;
  /** true when this answered a repeat of an earlier request (nothing new was refunded). */
  replayed: boolean;
}

const notAllowed = (message: string): AppError => new AppError(APP_ERROR_CODES.REFUND_NOT_ALLOWED, message);

export async function requestRefund(deps: RefundDeps, openid: string, input: unknown): Promise<RefundOrderResult> {
  requireStaff(deps.refundSettings.adminOpenids, openid);
  const request = parseRefundRequest(input);
  const order = await loadOrder(deps, request.outTradeNo);
  if (!order) throw new AppError(APP_ERROR_CODES.ORDER_NOT_FOUND, 'No such order. Check the order number.');
  const no = outRefundNoFor(order.outTradeNo, refundKeyFor(request));

  const existing = await loadRefund(deps, no);
  if (existing) {
    assertSameRequest(existing, request);
    // Recorded but never accepted by WeChat Pay (it was down): this retry sends it again.
    if (existing.status === 'PROCESSING' && !existing.refundId) await submitOrThrow(deps, existing);
    // A repeat also finishes what an earlier try left undone (audit records, the order's counters).
    else await applyToOrder(deps, no);
    return answer(deps, no, true);
  }

  // A claim without a document: an earlier try stopped in between; its claim is the amount.
  let amount = findReservation(order, no)?.amount;
  if (amount === undefined) {
    const outcome = await reserve(deps.db, order, no, checkRules(deps, order, request), deps.now());
    if (outcome.kind === 'refused') throw notAllowed(outcome.reason);
    amount = outcome.amount;
  }
  const refund = await insertRefund(deps, order, no, amount, request, openid);
  assertSameRequest(refund, request);
  await submitOrThrow(deps, refund);
  return answer(deps, no, false);
}

/** The rules checked before claiming anything; returns the amount to refund. */
function checkRules(deps: RefundDeps, order: Order, request: RefundRequest): number {
  if (order.status === 'REFUND') throw notAllowed('This order has already been fully refunded.');
  if (order.status !== 'SUCCESS') throw notAllowed(`This order is ${order.status}, not paid; only paid orders can be refunded.`);
  const paidAt = new Date(order.paidAt ?? order.createdAt).getTime();
  if (deps.now() - paidAt > REFUND_WINDOW_MS) throw notAllowed('This order was paid more than a year ago; WeChat Pay no longer refunds it.');
  const amount = request.amount ?? order.amount.total - (order.refundReserved ?? 0);
  if (amount < 1 || amount > order.amount.total - (order.refundReserved ?? 0)) throw notAllowed(refusalReason(order, Math.max(amount, 0)));
  return amount;
}

async function insertRefund(deps: RefundDeps, order: Order, no: string, amount: number, request: RefundRequest, openid: string): Promise<Refund> {
  const now = new Date(deps.now());
  const refund: Refund = {
    _id: no, outRefundNo: no, outTradeNo: order.outTradeNo, amount, orderTotal: order.amount.total,
    reason: request.reason, status: 'PROCESSING', refundId: null, requestedBy: openid,
    ...(request.requestKey ? { requestKey: request.requestKey } : {}),
    createdAt: now, updatedAt: now, transitions: [], lastCheckedAt: now,
  };
  try {
    await deps.db.collection(COLLECTIONS.refunds).add({ data: refund as unknown as Record<string, unknown> });
    deps.log('refund.requested', { outRefundNo: no, outTradeNo: order.outTradeNo, amount, total: order.amount.total });
    return refund;
  } catch (err) {
    // The same request running concurrently inserted it first: continue with that one.
    if (!isDuplicateKeyError(err)) throw err;
    return (await loadRefund(deps, no)) as Refund;
  }
}

function assertSameRequest(refund: Refund, request: RefundRequest): void {
  const sameAmount = request.amount === undefined || request.amount === refund.amount;
  if (!sameAmount || request.reason !== refund.reason) {
    throw invalidInput(`This request names refund ${refund.outRefundNo} (${refund.amount} fen, "${refund.reason}"), made earlier with different details. To make another refund, send a new requestKey.`);
  }
}

async function submitOrThrow(deps: RefundDeps, refund: Refund): Promise<void> {
  const outcome = await submitRefund(deps, refund, 'request');
  if (outcome.kind === 'refused') throw notAllowed(`WeChat Pay refused this refund (${outcome.code}): ${outcome.message}`);
  // deferred: recorded, amount held, answered as PROCESSING + queued; the timer submits it.
  if (outcome.kind === 'unavailable') {
    throw new AppError(APP_ERROR_CODES.PAYMENT_PROVIDER_UNAVAILABLE, 'WeChat Pay is not answering right now. The refund is recorded and its amount held; send the same request again (or wait for the timer to retry it).', { retryable: true });
  }
}

async function loadRefund(deps: RefundDeps, no: string): Promise<Refund | null> {
  return (await getDocOrNull(deps.db, COLLECTIONS.refunds, no)) as Refund | null;
}

async function answer(deps: RefundDeps, no: string, replayed: boolean): Promise<RefundOrderResult> {
  const refund = (await loadRefund(deps, no)) as Refund;
  const order = (await loadOrder(deps, refund.outTradeNo)) as Order;
  return { refund: toRefundView(refund), order: toOrderView(order), replayed };
}
