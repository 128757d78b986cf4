/** The documents our functions keep in the cloud database (documented in the README). */
import { toFulfilmentView, type DeliveryKind, type Fulfilment } from '../fulfilment/model';

import type { Money, OrderItem, OrderRefundView, OrderStatus, OrderView, Product } from '../contract';

// The shapes a client sees are the contract's (lib/contract); re-exported for the server's modules.
export type { Money, OrderItem, OrderRefundView, OrderStatus, OrderView, Product };

/** One entry per applied state change; exactly one per transition, however many notifications arrive. */
export interface OrderTransition {
  from: OrderStatus;
  to: OrderStatus;
  source: TransitionSource;
  at: Date;
  transactionId?: string;
}

export type TransitionSource = 'notify' | 'query' | 'reconcile' | 'close' | 'refund' | 'bill';

export interface Order {
  _id: string;
  outTradeNo: string;
  openid: string;
  clientOrderKey?: string;
  items: OrderItem[];
  amount: Money;
  description: string;
  status: OrderStatus;
  prepayId: string | null;
  prepayExpiresAt: Date | null;
  expiresAt: Date;
  transactionId?: string;
  paidAt?: Date;
  /** Sum of SUCCESS refunds (fen); the order becomes REFUND when it reaches amount.total. */
  refundedTotal?: number;
  /** Refund bookkeeping, owned by lib/refunds/ledger.ts (see there for why each exists). */
  refundReserved?: number;
  refundCount?: number;
  refundReservations?: RefundReservation[];
  refundsSettled?: string[];
  refundsReleased?: string[];
  /** out_refund_nos that went ABNORMAL (they stay listed when they later settle or close). */
  refundsAbnormal?: string[];
  transitions: OrderTransition[];
  /** From the items at order time (lib/fulfilment/model.ts orderDeliveryKind). */
  deliveryKind?: DeliveryKind;
  /** After the payment: shipping, receipt, settlement (lib/fulfilment; absent until first needed). */
  fulfilment?: Fulfilment;
  /** Set by each transition: its audit records are not yet verified by the timer, which writes any a failed caller left, then clears it (lib/orders/audit.ts). */
  auditPending?: boolean;
  lastCheckedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** One refund's claim on an order's paid amount, made before WeChat Pay is asked (lib/refunds/ledger.ts). */
export interface RefundReservation {
  no: string;
  amount: number;
  at: Date;
}

/** A refund's state from the order's own bookkeeping (lib/refunds/ledger.ts keeps it in step). */
function refundStateOf(order: Order, no: string): OrderRefundView['status'] {
  if (order.refundsSettled?.includes(no)) return 'SUCCESS';
  if (order.refundsReleased?.includes(no)) return 'CLOSED';
  if (order.refundsAbnormal?.includes(no)) return 'ABNORMAL';
  return 'PROCESSING';
}

export function toOrderView(order: Order): OrderView {
  const view: OrderView = {
    outTradeNo: order.outTradeNo,
    status: order.status,
    amount: order.amount,
    items: order.items,
    description: order.description,
    createdAt: new Date(order.createdAt).toISOString(),
    expiresAt: new Date(order.expiresAt).toISOString(),
  };
  if (order.paidAt) view.paidAt = new Date(order.paidAt).toISOString();
  if (order.fulfilment) view.fulfilment = toFulfilmentView(order.fulfilment, order.transactionId);
  if (order.refundedTotal) view.refundedTotal = order.refundedTotal;
  if (order.refundReservations?.length) {
    view.refunds = order.refundReservations.map((r) => ({ amount: r.amount, status: refundStateOf(order, r.no), requestedAt: new Date(r.at).toISOString() }));
    const pending = (order.refundReserved ?? 0) - (order.refundedTotal ?? 0);
    if (pending > 0) view.refundPending = pending;
  }
  return view;
}
