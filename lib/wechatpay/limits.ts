/**
 * WeChat Pay's text limits, counted as the service counts them: bytes of UTF-8, not characters.
 * A Chinese character is 3 bytes, so 127 bytes hold about 42 of them; counting characters lets a
 * 60-character product name through our checks and fails the live prepay with PARAM_ERROR.
 */

export const WECHATPAY_BYTE_LIMITS = {
  /** JSAPI prepay `description` (商品描述). */
  description: 127,
  /** JSAPI prepay `attach` (附加数据). */
  attach: 128,
  /** Refund `reason` (退款原因); the payer sees it. */
  refundReason: 80,
} as const;

export const ELLIPSIS = '…';

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * `text` cut to at most `maxBytes` bytes of UTF-8 on a character (code point) boundary, ending in
 * `ellipsis` when something was cut. Never splits a multi-byte character or a surrogate pair, so
 * the result is always valid UTF-8. Text that fits is returned unchanged.
 */
export function truncateUtf8(text: string, maxBytes: number, ellipsis: string = ELLIPSIS): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const room = maxBytes - utf8Bytes(ellipsis);
  if (room < 0) return cut(text, maxBytes);
  return cut(text, room) + ellipsis;
}

function cut(text: string, maxBytes: number): string {
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = utf8Bytes(char);
    if (used + size > maxBytes) break;
    out += char;
    used += size;
  }
  return out;
}
