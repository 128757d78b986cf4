/** Limits both sides enforce: the mini-program's cart and the console's form stay inside what the functions accept. */

/** createOrder: lines per order, quantity per line, length of clientOrderKey and of a product id. */
export const LIMITS = { maxLines: 50, maxQuantity: 99, maxKeyLength: 64, maxIdLength: 64 } as const;

/** WeChat Pay's refund `reason` limit, in characters (not UTF-16 units: "退款" is 2, an emoji is 1). */
export const MAX_REASON_LENGTH = 80;
