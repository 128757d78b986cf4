/**
 * refundOrder input and the staff check. Pure: input in, typed value or AppError out.
 * The caller's openid comes from the platform context (lib/functions/handler), never from input.
 */
import { MAX_REASON_LENGTH } from '../contract/limits';
import { APP_ERROR_CODES, AppError, invalidInput } from '../errors';
import { parseOutTradeNo } from '../orders/validate';
import { truncateUtf8, WECHATPAY_BYTE_LIMITS } from '../wechatpay';

export { MAX_REASON_LENGTH };

const REQUEST_KEY = /^[0-9A-Za-z_-]{1,64}$/;

export interface RefundRequest {
  outTradeNo: string;
  /** integer fen; absent = refund everything not yet refunded. */
  amount?: number;
  reason: string;
  requestKey?: string;
}

export function requireStaff(adminOpenids: ReadonlySet<string>, openid: string): void {
  if (!adminOpenids.has(openid)) {
    throw new AppError(
      APP_ERROR_CODES.FORBIDDEN,
      `Refunds are for merchant staff only. If you are staff, ask an administrator to add your openid (${openid}) to REFUND_ADMIN_OPENIDS.`,
    );
  }
}

export function parseRefundRequest(input: unknown): RefundRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidInput('Send {outTradeNo, reason, amount?, requestKey?}.');
  }
  const raw = input as Record<string, unknown>;
  const outTradeNo = parseOutTradeNo(raw.outTradeNo);
  if (typeof raw.reason !== 'string' || raw.reason.trim() === '' || [...raw.reason.trim()].length > MAX_REASON_LENGTH) {
    throw invalidInput(`reason must be a non-empty text of at most ${MAX_REASON_LENGTH} characters (the customer sees it).`);
  }
  const request: RefundRequest = { outTradeNo, reason: truncateUtf8(raw.reason.trim(), WECHATPAY_BYTE_LIMITS.refundReason) };
  if (raw.amount !== undefined) {
    if (typeof raw.amount !== 'number' || !Number.isSafeInteger(raw.amount) || raw.amount < 1) {
      throw invalidInput('amount must be a whole number of fen, at least 1 (leave it out to refund everything still refundable).');
    }
    request.amount = raw.amount;
  }
  if (raw.requestKey !== undefined) {
    if (typeof raw.requestKey !== 'string' || !REQUEST_KEY.test(raw.requestKey)) {
      throw invalidInput('requestKey must be 1–64 letters, digits, _ or - (one per intended refund; reuse it only to retry).');
    }
    request.requestKey = raw.requestKey;
  }
  return request;
}
