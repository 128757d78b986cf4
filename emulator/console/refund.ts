/**
 * The console's Refund action: merchant staff asking refundOrder for a full or partial refund.
 * It goes through the function entry (POST /functions/refundOrder) as the staff openid the stack
 * allowlists (scripts/local/staff.ts), so every rule of the function applies; nothing here touches
 * the data. Input is checked first (400, nothing sent); the function's own refusals come back with
 * their stable code and message, under an HTTP status that says what kind of refusal it was.
 */
import { MAX_REASON_LENGTH } from '../../lib/contract';
import { ConsoleError } from './errors';
import { callAsStaff, staffOpenidOf } from './staff';
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
  return callAsStaff(upstream, 'refundOrder', input, staffOpenidOf(staffOpenid, 'refund'));
}
