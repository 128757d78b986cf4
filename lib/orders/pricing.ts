/** Turns requested lines into priced items from the products collection. Pure; integer fen only. */
import { APP_ERROR_CODES, AppError } from '../errors';
import type { Money, OrderItem, Product } from './model';
import type { LineRequest } from './validate';
import { truncateUtf8, utf8Bytes, WECHATPAY_BYTE_LIMITS } from '../wechatpay';

/** WeChat Pay's description limit is 127 characters. */
/** A single order above this is refused: it is far above any mini-shop basket and keeps sums exact. */
export const MAX_ORDER_TOTAL_FEN = 100_000_000;

export function priceLines(lines: LineRequest[], products: Product[]): { items: OrderItem[]; amount: Money } {
  const byId = new Map(products.map((p) => [p._id, p]));
  const items = lines.map((line): OrderItem => {
    const product = byId.get(line.productId);
    if (!product || product.active !== true) {
      throw new AppError(APP_ERROR_CODES.PRODUCT_NOT_FOUND, `Product ${line.productId} is not for sale. Refresh the product list and try again.`);
    }
    if (!Number.isSafeInteger(product.price) || product.price < 1) {
      // A misconfigured product must never become a free or fractional order.
      throw new AppError(APP_ERROR_CODES.PRODUCT_NOT_FOUND, `Product ${line.productId} has no valid price.`);
    }
    return { productId: product._id, name: product.name, unitPrice: product.price, quantity: line.quantity, ...(product.delivery ? { delivery: product.delivery } : {}) };
  });
  const total = items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
  if (!Number.isSafeInteger(total) || total > MAX_ORDER_TOTAL_FEN) {
    throw new AppError(APP_ERROR_CODES.INVALID_INPUT, 'This order is too large to pay in one go. Split it into smaller orders.');
  }
  return { items, amount: { total, currency: 'CNY' } };
}

/**
 * The prepay `description`: within WeChat Pay's 127 bytes of UTF-8 (about 42 Chinese characters),
 * the product name shortened on a character boundary so the quantity or count stays readable.
 * In Chinese, like the shop: the payer reads it in WeChat Pay's receipt and bill ("乌龙茶 等2种商品").
 */
export function describeItems(items: OrderItem[]): string {
  const first = items[0];
  const suffix = items.length === 1 ? ` x${first.quantity}` : ` 等${items.length}种商品`;
  return truncateUtf8(first.name, WECHATPAY_BYTE_LIMITS.description - utf8Bytes(suffix)) + suffix;
}
