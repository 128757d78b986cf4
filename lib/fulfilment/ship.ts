/**
 * Recording a shipment, top to bottom: staff allowlist → input → the order (paid, fulfilment
 * record ensured) → a repeat of the last shipment is answered as it stands → the platform's rules
 * (rules.ts) → one conditional update: the transition to SHIPPED *and* the outbox holding the exact
 * body → send it (outbox.ts) → answer. A crash anywhere after the update is finished by the timer.
 * The automatic delivery of virtual goods takes the same path with source 'auto'.
 */
import { randomUUID } from 'node:crypto';
import { APP_ERROR_CODES, AppError } from '../errors';
import { toOrderView, type Order, type OrderView } from '../orders/model';
import { COLLECTIONS } from '../store/collections';
import { getDocOrNull } from '../store/db';
import type { FulfilmentDeps } from './deps';
import { NO_SUCH_ORDER, NOT_STAFF } from './messages';
import { orderDeliveryKind, toFulfilmentView, type Fulfilment, type FulfilmentSource, type FulfilmentView, type Parcel } from './model';
import { sendOutbox, type SendOutcome } from './outbox';
import { remindOnce } from './remind';
import { parseShipRequest, planShipment, refuse, type ShipRequest } from './rules';
import { applyFulfilment, ensureFulfilment } from './transition';

export interface ShipOrderResult {
  order: OrderView;
  fulfilment: FulfilmentView;
  /** The same shipment was already recorded: nothing new was sent. */
  replayed: boolean;
  /** WeChat has not confirmed the upload yet (it asked us to wait); the timer sends it again. */
  pendingUpload: boolean;
  reminded?: boolean;
}

export async function loadPaidOrder(deps: FulfilmentDeps, outTradeNo: string): Promise<{ order: Order; f: Fulfilment } | null> {
  let order = (await getDocOrNull(deps.db, COLLECTIONS.orders, outTradeNo)) as unknown as Order | null;
  if (!order) return null;
  if (order.status === 'SUCCESS' && !order.fulfilment) {
    await ensureFulfilment(deps.db, outTradeNo, order.deliveryKind ?? orderDeliveryKind(order.items), deps.now());
    order = (await getDocOrNull(deps.db, COLLECTIONS.orders, outTradeNo)) as unknown as Order;
  }
  if (!order.fulfilment) throw refuse(10060004, `This order is ${order.status}; only paid (and not refunded) orders can be shipped.`);
  return { order, f: order.fulfilment };
}

const sameParcels = (a: Parcel[], b: Parcel[]): boolean => JSON.stringify(a.map((p) => [p.trackingNo, p.expressCompany])) === JSON.stringify(b.map((p) => [p.trackingNo, p.expressCompany]));

/** Transition + outbox in one conditional update, then the call. Returns the send outcome. */
export async function recordShipment(deps: FulfilmentDeps, order: Order, f: Fulfilment, req: Pick<ShipRequest, 'parcels' | 'split' | 'allDelivered' | 'receiverContact'>, source: FulfilmentSource, by: string): Promise<SendOutcome> {
  const { shipment, body } = planShipment(order, f, req, { mchid: deps.mchid, now: deps.now(), by });
  const now = new Date(deps.now());
  const outbox = { id: randomUUID(), api: 'uploadShippingInfo' as const, body, revert: { status: f.status, shipments: f.shipments }, since: now, attempts: 0 };
  const applied = await applyFulfilment(
    deps.db,
    order.outTradeNo,
    { from: f.status, to: 'SHIPPED', source, guard: { 'fulfilment.uploads': f.uploads, 'fulfilment.outbox': null }, set: { shipments: [...f.shipments, shipment], uploads: f.uploads + 1, outbox, checkedAt: now } },
    deps.now(),
  );
  if (!applied) throw new AppError(APP_ERROR_CODES.SHIPPING_REFUSED, 'This order changed while you were shipping it (another shipment or a refund). Reload it and try again.', { retryable: true });
  deps.log('fulfilment.transition', { outTradeNo: order.outTradeNo, from: f.status, to: 'SHIPPED', source });
  return sendOutbox(deps, order.outTradeNo, outbox);
}

export async function shipOrder(deps: FulfilmentDeps, staffOpenid: string, input: unknown): Promise<ShipOrderResult> {
  if (!deps.staffOpenids.has(staffOpenid)) throw new AppError(APP_ERROR_CODES.FORBIDDEN, NOT_STAFF);
  const req = parseShipRequest(input);
  let loaded = await loadPaidOrder(deps, req.outTradeNo);
  if (!loaded) throw new AppError(APP_ERROR_CODES.ORDER_NOT_FOUND, NO_SUCH_ORDER);
  // An upload still owed (an earlier try timed out): finish it before judging this request.
  if (loaded.f.outbox) {
    await sendOutbox(deps, req.outTradeNo, loaded.f.outbox);
    loaded = (await loadPaidOrder(deps, req.outTradeNo)) as NonNullable<typeof loaded>;
  }
  const { order, f } = loaded;
  const last = f.shipments[f.shipments.length - 1];
  const parcels: Parcel[] = req.parcels.map((p) => ({ ...p, itemDesc: '' }));
  let replayed = false;
  let outcome: SendOutcome = { kind: 'done' };
  if (f.status === 'SHIPPED' && last && (f.kind !== 'express' || sameParcels(last.parcels, parcels))) replayed = true;
  else outcome = await recordShipment(deps, order, f, req, 'staff', staffOpenid);
  if (outcome.kind === 'refused') throw refuse(outcome.errcode, outcome.message);
  let reminded: boolean | undefined;
  if (req.remind && outcome.kind === 'done') reminded = await remindOnce(deps, req.outTradeNo);
  const after = (await loadPaidOrder(deps, req.outTradeNo)) as NonNullable<typeof loaded>;
  return { order: toOrderView(after.order), fulfilment: toFulfilmentView(after.f), replayed, pendingUpload: !!after.f.outbox, ...(reminded !== undefined ? { reminded } : {}) };
}

/** Virtual goods: recorded as delivered (logistics_type 3) once paid, by the timer or right after payment. */
export async function deliverVirtual(deps: FulfilmentDeps, outTradeNo: string): Promise<SendOutcome | null> {
  const loaded = await loadPaidOrder(deps, outTradeNo).catch(() => null);
  if (!loaded || loaded.f.kind !== 'virtual') return null;
  if (loaded.f.outbox) return sendOutbox(deps, outTradeNo, loaded.f.outbox);
  if (loaded.f.status !== 'PENDING') return null;
  return recordShipment(deps, loaded.order, loaded.f, { parcels: [], split: false }, 'auto', 'auto');
}
