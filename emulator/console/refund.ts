/**
 * The console's Refund action: merchant staff asking refundOrder for a full or partial refund.
 * It goes through the function entry (POST /functions/refundOrder) as the staff openid the stack
 * allowlists (scripts/local/staff.ts), so every rule of the function applies; nothing here touches
 * the data. Input is checked first (400, nothing sent); the function's own refusals come back with
 * their stable code and message, under an HTTP status that says what kind of refusal it was.
 */
import { httpStatusOf, MAX_REASON_LENGTH } from '../../lib/contract';
import { ConsoleError } from './errors';
import type { Upstream, UpstreamReply } from './upstream';

/** WeChat Pay's limit on `reason`, in characters (lib/contract/limits.ts). */
export const MAX_REASON_CHARS = MAX_REASON_LENGTH;
/** Sent when the developer gives no reason: refundOrder requires one (the customer sees it). */
export const DEFAULT_REFUND_REASON = 'Refunded from the local console';

export interface RefundInput {
  outTradeNo: string;
  amount?: number;
  reason: string;
  requestKey?: string;
}

export function parseRefundInput(body: Record<string, unknown>): RefundInput {
  const { outTradeNo, amount, reason, requestKey } = body;
  const bad = (message: string) => new ConsoleError(400, 'INVALID_INPUT', message);
  if (typeof outTradeNo !== 'string' || outTradeNo.trim() === '') throw bad('outTradeNo must be a non-empty string');
  const input: RefundInput = { outTradeNo: outTradeNo.trim(), reason: DEFAULT_REFUND_REASON };
  if (amount !== undefined && amount !== null) {
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1) {
      throw bad('amount must be a positive whole number of fen (leave it out to refund everything still refundable)');
    }
    input.amount = amount;
  }
  if (reason !== undefined && reason !== null) {
    if (typeof reason !== 'string') throw bad('reason must be a string');
    // Characters, not UTF-16 units: "退款" is 2, an emoji is 1.
    if ([...reason.trim()].length > MAX_REASON_CHARS) throw bad(`reason must be at most ${MAX_REASON_CHARS} characters`);
    if (reason.trim() !== '') input.reason = reason.trim();
  }
  if (requestKey !== undefined) {
    if (typeof requestKey !== 'string') throw bad('requestKey must be a string');
    input.requestKey = requestKey; // its format is refundOrder's to check
  }
  return input;
}

export async function refundAction(upstream: Upstream, staffOpenid: unknown, body: Record<string, unknown>): Promise<UpstreamReply> {
  const input = parseRefundInput(body);
  if (typeof staffOpenid !== 'string' || staffOpenid === '') {
    throw new ConsoleError(409, 'NO_STAFF_OPENID', 'this console was started without a staff openid (info.staffOpenid), so it cannot refund; startLocalStack passes one');
  }
  const r = await upstream.callFunction('refundOrder', input, staffOpenid);
  if (r.status !== 200 || (r.body?.errCode !== undefined && r.body.errCode !== 0)) {
    // The platform, not the function, failed (not deployed, crashed, timed out).
    throw new ConsoleError(502, 'FUNCTION_FAILED', `refundOrder: ${r.body?.errMsg ?? `HTTP ${r.status}`}`);
  }
  const result = r.body?.result;
  // The HTTP status of each code is the contract's (lib/contract/errors.ts); an unknown code is the function failing.
  if (result?.error) return { status: httpStatusOf(result.error.code) ?? 500, body: { error: result.error } };
  return { status: 200, body: result };
}
