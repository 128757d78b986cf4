/**
 * The platform's shipping rules, checked here before anything is written or sent (shared notes
 * shipping.md): one re-shipment per order, split only for express, 1–15 parcels, tracking number
 * and company for express (≤128 bytes each), item_desc ≤120 characters (derived from the order),
 * upload_time later than the last, a masked contact for SF Express. Pure: input in, the exact
 * upload_shipping_info body out, or an AppError carrying WeChat's errcode for the same refusal.
 */
import { formatChinaRfc3339 } from '../contract/time';
import { APP_ERROR_CODES, AppError, invalidInput } from '../errors';
import type { Order } from '../orders/model';
import { parseOutTradeNo } from '../orders/validate';
import { MASKED_CONTACT_REQUIRED, staffMessage } from './messages';
import { LOGISTICS_TYPE, type DeliveryKind, type Fulfilment, type Parcel, type Shipment } from './model';

export const MAX_PARCELS = 15;
export const MAX_ITEM_DESC = 120;
const MAX_FIELD_BYTES = 128;
const MASKED_PHONE = /^\d{3}\*{4}\d{4}$/;

export interface ShipRequest {
  outTradeNo: string;
  parcels: { trackingNo?: string; expressCompany?: string }[];
  split: boolean;
  allDelivered?: boolean;
  /** Masked phone, e.g. 189****1234 (required for SF Express). */
  receiverContact?: string;
  /** Also ask WeChat to remind the customer to confirm receipt (express only, once per order). */
  remind?: boolean;
}

export const refuse = (errcode: number, detail?: string): AppError =>
  new AppError(APP_ERROR_CODES.SHIPPING_REFUSED, detail ?? staffMessage(errcode, ''), { wxErrcode: errcode });

const text = (v: unknown, name: string): string | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw invalidInput(`${name} must be text.`);
  return v.trim();
};

export function parseShipRequest(input: unknown): ShipRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidInput('Send {outTradeNo, parcels?: [{trackingNo, expressCompany}], split?, allDelivered?, receiverContact?, remind?}.');
  const raw = input as Record<string, unknown>;
  const parcels = raw.parcels ?? [];
  if (!Array.isArray(parcels)) throw invalidInput('parcels must be a list of {trackingNo, expressCompany}.');
  for (const k of ['split', 'allDelivered', 'remind'] as const) if (raw[k] !== undefined && typeof raw[k] !== 'boolean') throw invalidInput(`${k} must be true or false.`);
  return {
    outTradeNo: parseOutTradeNo(raw.outTradeNo),
    parcels: parcels.map((p: unknown, i) => {
      if (typeof p !== 'object' || p === null) throw invalidInput(`parcels[${i}] must be {trackingNo, expressCompany}.`);
      const q = p as Record<string, unknown>;
      return { trackingNo: text(q.trackingNo, `parcels[${i}].trackingNo`), expressCompany: text(q.expressCompany, `parcels[${i}].expressCompany`) };
    }),
    split: raw.split === true,
    ...(raw.allDelivered !== undefined ? { allDelivered: raw.allDelivered as boolean } : {}),
    ...(text(raw.receiverContact, 'receiverContact') ? { receiverContact: text(raw.receiverContact, 'receiverContact') } : {}),
    remind: raw.remind === true,
  };
}

/** "Name x2, Other x1" from the order's own items, cut to 120 characters (never from the request). */
export function itemDescFor(order: Pick<Order, 'items'>): string {
  const desc = order.items.map((i) => `${i.name} x${i.quantity}`).join(', ');
  return Array.from(desc).slice(0, MAX_ITEM_DESC).join('');
}

/** RFC 3339 in China time with milliseconds, e.g. 2022-12-15T13:29:35.120+08:00. */
export function uploadTimeAt(ms: number): string {
  return formatChinaRfc3339(ms, { milliseconds: true });
}

/** upload_time strictly later than the last one sent (clocks of instances may disagree a little). */
export function nextUploadTime(shipments: Shipment[], now: number): string {
  const last = shipments.length ? Date.parse(shipments[shipments.length - 1].uploadTime) : -Infinity;
  return uploadTimeAt(Math.max(now, last + 1));
}

function checkParcels(kind: DeliveryKind, req: ShipRequest): void {
  if (req.split && kind !== 'express') throw refuse(10060006);
  if (req.split && req.allDelivered === undefined) throw refuse(10060007);
  if (kind !== 'express') return;
  if (req.parcels.length < 1 || req.parcels.length > MAX_PARCELS) throw refuse(10060024);
  if (!req.split && req.parcels.length !== 1) throw refuse(268485228);
  for (const p of req.parcels) {
    if (!p.trackingNo) throw refuse(268485226);
    if (!p.expressCompany) throw refuse(268485227);
    if (Buffer.byteLength(p.trackingNo) > MAX_FIELD_BYTES) throw refuse(10060026);
    if (Buffer.byteLength(p.expressCompany) > MAX_FIELD_BYTES) throw refuse(10060025);
    if (p.expressCompany.toUpperCase() === 'SF' && !req.receiverContact) throw refuse(10060014, MASKED_CONTACT_REQUIRED);
  }
  if (req.receiverContact && !MASKED_PHONE.test(req.receiverContact)) throw refuse(10060014, MASKED_CONTACT_REQUIRED);
}

/** May this order take this shipment now? Throws the refusal WeChat would give. */
export function checkShippable(order: Order, f: Fulfilment): void {
  if (order.status !== 'SUCCESS') throw refuse(10060004, `This order is ${order.status}; only paid (and not refunded) orders can be shipped.`);
  if (f.status === 'CONFIRMED' || f.status === 'SETTLED') throw refuse(10060004);
  if (f.status === 'SHIPPED' && f.shipments.length >= 2) throw refuse(10060003);
}

export interface PlannedShipment {
  shipment: Shipment;
  body: Record<string, unknown>;
}

/** The upload_shipping_info body for this order, kind and request (already checked). */
export function planShipment(order: Order, f: Fulfilment, req: Pick<ShipRequest, 'parcels' | 'split' | 'allDelivered' | 'receiverContact'>, o: { mchid: string; now: number; by: string }): PlannedShipment {
  checkShippable(order, f);
  checkParcels(f.kind, req as ShipRequest);
  const itemDesc = itemDescFor(order);
  const parcels: Parcel[] = f.kind === 'express' ? req.parcels.map((p) => ({ trackingNo: p.trackingNo, expressCompany: p.expressCompany, itemDesc })) : [{ itemDesc }];
  const shipment: Shipment = { logisticsType: LOGISTICS_TYPE[f.kind], deliveryMode: req.split ? 2 : 1, parcels, uploadTime: nextUploadTime(f.shipments, o.now), by: o.by };
  const contact = req.receiverContact ? { contact: { receiver_contact: req.receiverContact } } : {};
  const body: Record<string, unknown> = {
    order_key: { order_number_type: 1, mchid: o.mchid, out_trade_no: order.outTradeNo },
    logistics_type: shipment.logisticsType,
    delivery_mode: shipment.deliveryMode,
    ...(req.split ? { is_all_delivered: req.allDelivered === true } : {}),
    shipping_list: parcels.map((p) => ({ ...(p.trackingNo ? { tracking_no: p.trackingNo, express_company: p.expressCompany } : {}), item_desc: p.itemDesc, ...contact })),
    upload_time: shipment.uploadTime,
    payer: { openid: order.openid },
  };
  return { shipment, body };
}
