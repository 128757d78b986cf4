/**
 * After the payment (小程序发货信息管理), as server, mini-program and console share it: how a
 * product reaches the customer, the fulfilment states, and what a client sees of a shipment.
 *   PENDING    paid, not recorded as shipped on the platform (the money stays frozen)
 *   SHIPPED    the platform accepted the shipping information (uploadShippingInfo)
 *   CONFIRMED  the customer (or the platform's auto-confirmation) confirmed receipt
 *   SETTLED    the platform settled the funds to the merchant
 */
export type DeliveryKind = 'express' | 'same_city' | 'virtual' | 'pickup';
export const DELIVERY_KINDS: readonly DeliveryKind[] = ['express', 'same_city', 'virtual', 'pickup'];

export type FulfilmentStatus = 'PENDING' | 'SHIPPED' | 'CONFIRMED' | 'SETTLED';
export const FULFILMENT_STATUSES: readonly FulfilmentStatus[] = ['PENDING', 'SHIPPED', 'CONFIRMED', 'SETTLED'];

/** One parcel as it was sent to the platform. */
export interface Parcel {
  trackingNo?: string;
  expressCompany?: string;
  itemDesc: string;
}

/** What a client (customer or staff) sees of an order's fulfilment. */
export interface FulfilmentView {
  status: FulfilmentStatus;
  kind: DeliveryKind;
  parcels: Parcel[];
  shippedAt?: string;
  /** An upload is still owed to the platform (the timer finishes it). */
  pendingUpload: boolean;
  lastRefusal?: { errcode: number; message: string };
  /** The payment's transaction id, for the confirm-receipt component (extraData.transaction_id). */
  transactionId?: string;
}

/** The customer may open the official confirm-receipt component (wx.openBusinessView weappOrderConfirm). */
export const canConfirmReceipt = (f: FulfilmentView | undefined): boolean => f?.status === 'SHIPPED' && f.kind !== 'virtual' && !f.pendingUpload;
