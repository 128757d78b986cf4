/**
 * What the cloud functions take and answer, as the mini-program and the console see it. The
 * server builds these (lib/orders/model.ts toOrderView, lib/refunds/model.ts toRefundView); the
 * clients type their calls with them. Plain data only: dates travel as ISO strings, money as
 * integer fen.
 */
import type { DeliveryKind, FulfilmentView } from './fulfilment';
import type { OrderStatus, RefundStatus } from './status';

export interface Money {
  total: number;
  currency: 'CNY';
}

export interface Product {
  _id: string;
  name: string;
  /** integer fen */
  price: number;
  active: boolean;
  /** How it reaches the customer (default express); decides the shipping information WeChat needs. */
  delivery?: DeliveryKind;
  /** Its picture in cloud storage: a file ID `cloud://<env>.<bucket>/<path>` (kept in `products`). */
  image?: string;
  /**
   * listProducts only: a temporary link to `image` (getTempFileURL, valid for an hour) for `<image src>`
   * in any transport. Absent when the product has no picture or storage could not make a link.
   */
  imageUrl?: string;
}

export interface OrderItem {
  productId: string;
  name: string;
  /** integer fen, copied from products at order time */
  unitPrice: number;
  quantity: number;
  /** copied from the product at order time */
  delivery?: DeliveryKind;
}

/** What a client may see of an order (createOrder's pay-again, queryOrder, listOrders). */
export interface OrderView {
  outTradeNo: string;
  status: OrderStatus;
  amount: Money;
  items: OrderItem[];
  description: string;
  createdAt: string;
  expiresAt: string;
  paidAt?: string;
  refundedTotal?: number;
  /** Reserved for refunds not settled yet (PROCESSING or ABNORMAL), fen; absent when 0. */
  refundPending?: number;
  /** Every refund asked for, oldest first; absent when there is none. */
  refunds?: OrderRefundView[];
  /** Shipping and receipt once paid; absent before. */
  fulfilment?: FulfilmentView;
}

/** One refund as the customer sees it on the order (the refunds collection is staff-side). */
export interface OrderRefundView {
  amount: number;
  status: RefundStatus;
  requestedAt: string;
}

/** What refundOrder answers about the refund. */
export interface RefundView {
  outRefundNo: string;
  outTradeNo: string;
  amount: number;
  reason: string;
  status: RefundStatus;
  refundId: string | null;
  createdAt: string;
  successTime?: string;
  failureCode?: string;
  /** true while the refund waits to be submitted (WeChat Pay asked for a minute between refunds of one order). */
  queued?: boolean;
}

/** Parameters for wx.requestPayment: timeStamp is a string of seconds, signType is 'RSA'. */
export interface PaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** What createOrder answers. */
export interface CreateOrderResult {
  outTradeNo: string;
  amount: Money;
  payment: PaymentParams;
}

/** One cart line as createOrder takes it: prices are never sent, the server reads them. */
export interface CartLine {
  productId: string;
  quantity: number;
}

/** createOrder's input: a new order from the cart, or paying again for an existing one. */
export type CreateOrderInput = { items: CartLine[]; clientOrderKey?: string } | { outTradeNo: string };

