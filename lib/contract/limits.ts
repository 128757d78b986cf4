/** Limits both sides enforce: the mini-program's cart and the console's form stay inside what the functions accept. */

/** createOrder: lines per order, quantity per line, length of clientOrderKey and of a product id. */
export const LIMITS = { maxLines: 50, maxQuantity: 99, maxKeyLength: 64, maxIdLength: 64 } as const;

/**
 * Longest refund reason staff may type, in characters (not UTF-16 units: "退款" is 2, an emoji is 1).
 * WeChat Pay's own limit is 80 bytes of UTF-8 (lib/wechatpay WECHATPAY_BYTE_LIMITS.refundReason, about
 * 26 Chinese characters): refundOrder cuts a longer reason there on a character boundary, so what is
 * stored is exactly what WeChat Pay gets and the payer sees.
 */
export const MAX_REASON_LENGTH = 80;
