/**
 * out_refund_no derivation. The number is a pure function of the order and the request's key, so
 * a retried request (timeout, double click, crash half-way) always names the same refund, and
 * WeChat Pay itself answers a repeated out_refund_no with the refund it already has.
 *
 * The key is the caller's `requestKey` when given; otherwise it is derived from the request:
 * `full` for a full refund, `amount:<fen>` for a partial one. Consequence (documented for staff):
 * two genuinely separate partial refunds of the same amount on one order need distinct
 * requestKeys — without them the second is treated as a retry of the first. A refund that ended
 * CLOSED keeps its number too; asking again means asking with a new requestKey.
 */
import { createHash } from 'crypto';

export function refundKeyFor(request: { amount?: number; requestKey?: string }): string {
  if (request.requestKey !== undefined) return `key:${request.requestKey}`;
  return request.amount === undefined ? 'full' : `amount:${request.amount}`;
}

/** `<outTradeNo>-R<16 hex>`: at most 32 + 18 = 50 chars of out_refund_no's charset, readable by support. */
export function outRefundNoFor(outTradeNo: string, refundKey: string): string {
  const digest = createHash('sha256').update(`${outTradeNo}\n${refundKey}`).digest('hex').slice(0, 16);
  return `${outTradeNo}-R${digest}`;
}
