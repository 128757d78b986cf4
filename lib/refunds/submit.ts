/**
 * Asks WeChat Pay for one recorded refund, always with the parameters stored on the refund
 * document, so a retry (by staff or the timer) is the identical request WeChat Pay expects.
 */
import type { RefundDeps } from './deps';
import type { Refund, RefundSource } from './model';
import { applyToOrder, syncRefund } from './sync';
import { applyRefundState } from './transition';
import { COLLECTIONS } from '../store/collections';

/**
 * WeChat Pay answers these only when it did not (and will not) create the refund: the request is
 * refused for good, so the claim on the order is given back. Anything else — SYSTEM_ERROR,
 * FREQUENCY_LIMITED, timeouts, network, a signature problem — leaves the refund PROCESSING and
 * reserved, to be retried with the same out_refund_no.
 */
const REFUSED_CODES = new Set(['PARAM_ERROR', 'INVALID_REQUEST', 'TRADE_ERROR', 'RULE_LIMIT', 'NO_AUTH', 'ORDER_NOT_EXIST', 'ORDER_CLOSED', 'NOT_ENOUGH_REFUNDABLE']);

/**
 * "Not now": WeChat Pay wants refunds of one order at least a minute apart (refund API doc, note 9)
 * and answers a closer one FREQUENCY_LIMITED. Nothing was created, and the same request will be
 * accepted later: the refund stays PROCESSING and reserved, marked queued, and the timer submits it.
 */
const LATER_CODES = new Set(['FREQUENCY_LIMITED']);

export type SubmitOutcome =
  | { kind: 'accepted' }
  | { kind: 'refused'; code: string; message: string }
  | { kind: 'deferred'; code: string }
  | { kind: 'unavailable'; code: string };

export async function submitRefund(deps: RefundDeps, refund: Refund, source: RefundSource): Promise<SubmitOutcome> {
  let wx;
  try {
    wx = await deps.refundPay.createRefund({
      out_trade_no: refund.outTradeNo,
      out_refund_no: refund.outRefundNo,
      reason: refund.reason,
      notify_url: deps.merchant.notifyUrl,
      amount: { refund: refund.amount, total: refund.orderTotal, currency: 'CNY' },
    });
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'UNKNOWN';
    if (LATER_CODES.has(code)) {
      await markQueued(deps, refund, code);
      deps.log('refund.queued', { outRefundNo: refund.outRefundNo, outTradeNo: refund.outTradeNo, code, source });
      return { kind: 'deferred', code };
    }
    deps.log('refund.failed', { outRefundNo: refund.outRefundNo, outTradeNo: refund.outTradeNo, code, source });
    if (!REFUSED_CODES.has(code)) return { kind: 'unavailable', code };
    await refuse(deps, refund, code, source);
    return { kind: 'refused', code, message: String((err as Error).message ?? '').slice(0, 200) };
  }
  await syncRefund(deps, refund, wx, source, `${source}:create:${refund.outRefundNo}`);
  return { kind: 'accepted' };
}

/** Only while WeChat Pay has not accepted it (no refund_id): an accepted refund is never "queued". */
async function markQueued(deps: RefundDeps, refund: Refund, code: string): Promise<void> {
  const now = new Date(deps.now());
  await deps.db.collection(COLLECTIONS.refunds).where({ _id: refund._id, status: 'PROCESSING', refundId: null }).update({ data: { queuedAt: now, queuedCode: code, updatedAt: now } });
}

async function refuse(deps: RefundDeps, refund: Refund, code: string, source: RefundSource): Promise<void> {
  const result = await applyRefundState(deps.db, refund.outRefundNo, { status: 'CLOSED', failureCode: code }, { source, now: deps.now() });
  if (result.applied) deps.log('refund.transition', { outRefundNo: refund.outRefundNo, outTradeNo: refund.outTradeNo, from: result.from, to: result.to, source });
  // Writes the CLOSED transition's record and the refusal's anomaly record from the stored refund.
  await applyToOrder(deps, refund.outRefundNo);
}
