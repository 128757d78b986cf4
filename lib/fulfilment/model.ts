/**
 * Fulfilment: what happens to a paid order after the payment (小程序发货信息管理), kept beside the
 * payment status on the order (`order.fulfilment`) and changed only by transition.ts.
 *   PENDING    paid, not recorded as shipped on the platform (the money stays frozen)
 *   SHIPPED    the platform accepted the shipping information (uploadShippingInfo)
 *   CONFIRMED  the customer (or the platform's auto-confirmation) confirmed receipt
 *   SETTLED    the platform settled the funds to the merchant
 * A refunded order (payment status REFUND) takes no further fulfilment step.
 */
import type { DeliveryKind, FulfilmentStatus, FulfilmentView, Parcel } from '../contract/fulfilment';

// The client-facing words are the contract's (lib/contract/fulfilment.ts); re-exported for the server.
export { DELIVERY_KINDS, FULFILMENT_STATUSES } from '../contract/fulfilment';
export type { DeliveryKind, FulfilmentStatus, FulfilmentView, Parcel };

/** WeChat's logistics_type for each kind (shared notes shipping.md). */
export const LOGISTICS_TYPE: Record<DeliveryKind, 1 | 2 | 3 | 4> = { express: 1, same_city: 2, virtual: 3, pickup: 4 };

/** What moved the fulfilment: a staff shipment, the automatic virtual delivery, a push, a getOrder poll, a refusal. */
export type FulfilmentSource = 'staff' | 'auto' | 'push' | 'poll' | 'check' | 'refused';

export interface FulfilmentTransition {
  from: FulfilmentStatus;
  to: FulfilmentStatus;
  source: FulfilmentSource;
  at: Date;
  /** WeChat's errcode when a refusal undid a shipment */
  errcode?: number;
}

/** One accepted (or outstanding) upload_shipping_info, as sent. */
export interface Shipment {
  logisticsType: 1 | 2 | 3 | 4;
  deliveryMode: 1 | 2;
  parcels: Parcel[];
  uploadTime: string;
  by: string;
}

/**
 * The durable "to do": the exact request body still owed to the platform. It is written in the same
 * conditional update as the transition, and cleared (conditionally on its id) once WeChat answered,
 * so a timeout or a crash in between is finished by the timer with the identical body — which the
 * platform answers 10060023 "unchanged" if the first copy did arrive.
 */
export interface Outbox {
  id: string;
  api: 'uploadShippingInfo';
  body: Record<string, unknown>;
  /** The fulfilment to go back to if WeChat refuses for good. */
  revert: { status: FulfilmentStatus; shipments: Shipment[] };
  since: Date;
  attempts: number;
  lastErrcode?: number;
}

export interface Fulfilment {
  status: FulfilmentStatus;
  kind: DeliveryKind;
  shipments: Shipment[];
  /** shipments.length, kept as a number so a conditional update can guard on it (no concurrent double upload). */
  uploads: number;
  history: FulfilmentTransition[];
  outbox?: Outbox | null;
  /** notifyConfirmReceive was sent (once per order, express only). */
  reminded?: boolean;
  confirmedAt?: Date;
  settledAt?: Date;
  /** Last time the timer asked getOrder about it. */
  checkedAt?: Date;
  /** The last refusal, for staff. */
  lastRefusal?: { errcode: number; message: string; at: Date };
}

/**
 * The delivery kind of an order from its items (each copied from its product at order time).
 * Virtual items ride along with physical ones; physical kinds that disagree ship by express.
 */
export function orderDeliveryKind(items: ReadonlyArray<{ delivery?: DeliveryKind }>): DeliveryKind {
  const physical = [...new Set(items.map((i) => i.delivery ?? 'express').filter((k) => k !== 'virtual'))];
  if (physical.length === 0) return 'virtual';
  return physical.length === 1 ? physical[0] : 'express';
}

export const emptyFulfilment = (kind: DeliveryKind): Fulfilment => ({ status: 'PENDING', kind, shipments: [], uploads: 0, history: [], outbox: null });

export function toFulfilmentView(f: Fulfilment, transactionId?: string): FulfilmentView {
  const last = f.shipments[f.shipments.length - 1];
  return {
    status: f.status,
    kind: f.kind,
    parcels: last ? last.parcels : [],
    ...(last ? { shippedAt: last.uploadTime } : {}),
    pendingUpload: !!f.outbox,
    ...(f.lastRefusal ? { lastRefusal: { errcode: f.lastRefusal.errcode, message: f.lastRefusal.message } } : {}),
    ...(transactionId ? { transactionId } : {}),
  };
}
