/**
 * createOrder: price on the server, write the order, get a prepay, sign wx.requestPayment params.
 * Every step is safe to retry: a failure after the order is written leaves a NOTPAY order with
 * no prepay, and the next call (same clientOrderKey, or {outTradeNo}) resumes from there.
 */
import { isPayable, PAYABLE_STATUSES, type CreateOrderResult } from '../contract';
import { orderDeliveryKind } from '../fulfilment/model';
import { APP_ERROR_CODES, AppError } from '../errors';
import { getDocOrNull, isDuplicateKeyError } from '../store/db';
import type { OrderDeps, PaymentParams } from './deps';
import { newOutTradeNo, outTradeNoForClientKey } from './ids';
import type { Order, Product } from './model';
import { COLLECTIONS } from '../store/collections';
import { describeItems, priceLines } from './pricing';
import { fetchTransaction } from './query';
import { syncOrderWithTransaction } from './sync';
import { formatWechatTime } from '../wechatpay/time';
import { isPermanentRefusal } from '../wechatpay';
import type { CreateOrderRequest, LineRequest } from './validate';

/** WeChat keeps a prepay_id for 2 h; we stop reusing it a little earlier so the payer never races it. */
const PREPAY_LIFETIME_MS = 2 * 3600_000;
const PREPAY_SAFETY_MS = 5 * 60_000;

/** WeChat Pay's own error codes for a re-order of an out_trade_no that is finished at its end. */
const WX_ORDER_PAID = 'ORDERPAID';
const WX_ORDER_CLOSED = 'ORDER_CLOSED';
/** The statuses a user may (still) pay from. */
const ALREADY_PAID = 'This order is already paid.';
const PAYMENT_REJECTED = 'WeChat Pay cannot accept payment for this order. Trying again will not help; please contact the shop.';
const NO_LONGER_PAYABLE = 'WeChat Pay no longer accepts payment for this order. Check its status or start a new order.';

export type { CreateOrderResult };

export async function createOrder(deps: OrderDeps, openid: string, request: CreateOrderRequest): Promise<CreateOrderResult> {
  const order = request.kind === 'payAgain'
    ? await loadOwnOrder(deps, openid, request.outTradeNo)
    : await insertOrReuseOrder(deps, openid, request.items, request.clientOrderKey);
  return preparePayment(deps, order);
}

async function loadOwnOrder(deps: OrderDeps, openid: string, outTradeNo: string): Promise<Order> {
  const order = (await getDocOrNull(deps.db, COLLECTIONS.orders, outTradeNo)) as Order | null;
  // Someone else's order is reported exactly like a missing one: no probing other users' orders.
  if (!order || order.openid !== openid) {
    throw new AppError(APP_ERROR_CODES.ORDER_NOT_FOUND, 'No such order. Check the order number or start a new order.');
  }
  return order;
}

async function insertOrReuseOrder(deps: OrderDeps, openid: string, lines: LineRequest[], clientOrderKey?: string): Promise<Order> {
  const products = await loadProducts(deps, lines.map((l) => l.productId));
  const { items, amount } = priceLines(lines, products);
  const now = deps.now();
  const outTradeNo = clientOrderKey ? outTradeNoForClientKey(openid, clientOrderKey) : newOutTradeNo(now);
  const order: Order = {
    _id: outTradeNo,
    outTradeNo,
    openid,
    ...(clientOrderKey ? { clientOrderKey } : {}),
    items,
    amount,
    description: describeItems(items),
    deliveryKind: orderDeliveryKind(items),
    status: 'NOTPAY',
    prepayId: null,
    prepayExpiresAt: null,
    expiresAt: new Date(now + deps.settings.orderExpireMinutes * 60_000),
    transitions: [],
    lastCheckedAt: new Date(now),
    createdAt: new Date(now),
    updatedAt: new Date(now),
  };
  try {
    await deps.db.collection(COLLECTIONS.orders).add({ data: order as unknown as Record<string, unknown> });
    deps.log('order.created', { outTradeNo, total: amount.total, lines: items.length });
    return order;
  } catch (err) {
    // A double tap with the same clientOrderKey: the first insert won, answer with that order —
    // but only for the same basket. A key reused for different items is refused (Stripe's rule for
    // idempotency keys), and nothing is written: silently answering the first order would charge
    // the customer for a basket they no longer asked for.
    if (clientOrderKey && isDuplicateKeyError(err)) {
      const first = await loadOwnOrder(deps, openid, outTradeNo);
      if (!sameBasket(first, lines)) {
        throw new AppError(APP_ERROR_CODES.IDEMPOTENCY_KEY_REUSED, 'This clientOrderKey was already used for a different basket. Generate a new clientOrderKey for each checkout.');
      }
      return first;
    }
    throw err;
  }
}

/** Same products in the same quantities (line order aside): prices are the first order's, by design. */
function sameBasket(order: Order, lines: LineRequest[]): boolean {
  const key = (items: Array<{ productId: string; quantity: number }>) => items.map((l) => `${l.productId}\u0000${l.quantity}`).sort().join('\u0001');
  return key(order.items) === key(lines);
}

async function loadProducts(deps: OrderDeps, ids: string[]): Promise<Product[]> {
  const _ = deps.db.command;
  const { data } = await deps.db.collection(COLLECTIONS.products).where({ _id: _.in(ids) }).limit(ids.length).get();
  return data as unknown as Product[];
}

async function preparePayment(deps: OrderDeps, order: Order): Promise<CreateOrderResult> {
  const now = deps.now();
  // PAYERROR is a failed attempt, not a final state: WeChat Pay still takes payment for the same
  // out_trade_no (transition.ts), so the user may pay it again like a NOTPAY order.
  if (!isPayable(order.status)) {
    throw new AppError(APP_ERROR_CODES.ORDER_NOT_PAYABLE, `This order is ${order.status === 'SUCCESS' ? 'already paid' : 'no longer payable'}. Start a new order if you still want these items.`);
  }
  if (new Date(order.expiresAt).getTime() <= now) {
    throw new AppError(APP_ERROR_CODES.ORDER_NOT_PAYABLE, 'This order has expired. Start a new order.');
  }
  const reusable = order.prepayId && order.prepayExpiresAt && new Date(order.prepayExpiresAt).getTime() > now;
  if (reusable) {
    deps.log('order.prepay_reused', { outTradeNo: order.outTradeNo });
    return result(deps, order, order.prepayId as string);
  }
  const prepayId = await requestPrepay(deps, order);
  const prepayExpiresAt = new Date(now + PREPAY_LIFETIME_MS - PREPAY_SAFETY_MS);
  await deps.db.collection(COLLECTIONS.orders).where({ _id: order._id, status: deps.db.command.in([...PAYABLE_STATUSES]) }).update({
    data: { prepayId, prepayExpiresAt, updatedAt: new Date(now) },
  });
  deps.log('order.prepay_created', { outTradeNo: order.outTradeNo });
  return result(deps, order, prepayId);
}

async function requestPrepay(deps: OrderDeps, order: Order): Promise<string> {
  // The same out_trade_no must be re-ordered with identical parameters, so all of them derive
  // from the stored order and the configured merchant, never from the current request.
  try {
    const { prepay_id } = await deps.pay.jsapiPrepay({
      appid: deps.merchant.appid,
      mchid: deps.merchant.mchid,
      description: order.description,
      out_trade_no: order.outTradeNo,
      time_expire: formatWechatTime(new Date(order.expiresAt).getTime()),
      notify_url: deps.merchant.notifyUrl,
      amount: order.amount,
      payer: { openid: order.openid },
    });
    return prepay_id;
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'UNKNOWN';
    deps.log('order.prepay_failed', { outTradeNo: order.outTradeNo, code });
    if (code === WX_ORDER_PAID || code === WX_ORDER_CLOSED) {
      // WeChat Pay is ahead of us (its notification has not arrived yet): catch up now.
      await catchUp(deps, order);
      throw new AppError(APP_ERROR_CODES.ORDER_NOT_PAYABLE, code === WX_ORDER_PAID ? ALREADY_PAID : NO_LONGER_PAYABLE, { cause: err });
    }
    if (isPermanentRefusal(err)) {
      // Sending the same request again can never succeed (our configuration, the merchant account or
      // the order's parameters): an alert for us with WeChat's words, a plain refusal for the customer.
      const detail = (err.detail ?? {}) as { message?: unknown };
      deps.log('order.payment_rejected', { outTradeNo: order.outTradeNo, code, httpStatus: err.httpStatus, message: String(detail.message ?? err.message).slice(0, 200) });
      throw new AppError(APP_ERROR_CODES.PAYMENT_REJECTED, PAYMENT_REJECTED, { cause: err });
    }
    throw new AppError(APP_ERROR_CODES.PAYMENT_PROVIDER_UNAVAILABLE, 'WeChat Pay is not answering right now. Your order is saved; please try paying again.', { retryable: true, cause: err });
  }
}

/**
 * Brings the order in line with WeChat Pay through a verified query and the one sync path (money
 * checks, transition, audit record). Best effort: the caller's answer does not depend on it, and
 * the notification or the timer will get there if this fails.
 */
async function catchUp(deps: OrderDeps, order: Order): Promise<void> {
  try {
    const tx = await fetchTransaction(deps, order.outTradeNo);
    if (!tx) return;
    await syncOrderWithTransaction(deps, order, tx, 'query', `query:${order.outTradeNo}:${tx.trade_state}:${tx.transaction_id ?? ''}`);
  } catch (err) {
    deps.log('order.query_failed', { outTradeNo: order.outTradeNo, code: (err as { code?: string }).code ?? 'UNKNOWN' });
  }
}

function result(deps: OrderDeps, order: Order, prepayId: string): CreateOrderResult {
  return { outTradeNo: order.outTradeNo, amount: order.amount, payment: deps.pay.paymentParams(prepayId) };
}
