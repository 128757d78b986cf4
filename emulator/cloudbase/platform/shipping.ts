/**
 * The shipping APIs (wxa.sec.order.*), answered from PlatformState and validated in the real API's
 * order with its errcodes (shared notes shipping.md). Each takes the snake_case body and returns
 * the JSON answer or throws WxApiError — the same handlers serve the cloud call and the HTTP path.
 */
import { WxApiError } from '../openapi/table';
import type { Payment, PaymentLookup, PlatformOrder, PlatformState, ShippingRecord } from './state';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?([+-]\d{2}:\d{2}|Z)$/;
const fail = (errcode: number, errmsg: string): never => {
  throw new WxApiError(errcode, errmsg);
};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export interface ShippingContext {
  state: PlatformState;
  payments: PaymentLookup;
  now: () => number;
}

async function paidOrder(ctx: ShippingContext, key: { mchid?: string; out_trade_no?: string; transaction_id?: string }): Promise<{ order: PlatformOrder; payment: Payment }> {
  const payment = await ctx.payments(key);
  if (!payment) return fail(10060001, 'payment not found (订单不存在)');
  return { order: ctx.state.forPayment(payment), payment };
}

const refunded = (p: Payment): boolean => p.refunded >= p.total;

function orderKey(body: Record<string, unknown>): { mchid?: string; out_trade_no?: string; transaction_id?: string } {
  const k = (body.order_key ?? {}) as Record<string, unknown>;
  if (k.order_number_type === 1) {
    if (!str(k.mchid)) fail(268485196, 'mchid is empty');
    if (!str(k.out_trade_no)) fail(268485197, 'out_trade_no is empty');
    return { mchid: str(k.mchid), out_trade_no: str(k.out_trade_no) };
  }
  if (k.order_number_type === 2) {
    if (!str(k.transaction_id)) fail(268485195, 'transaction_id is empty');
    return { transaction_id: str(k.transaction_id) };
  }
  return fail(268485194, 'invalid order_number_type');
}

function checkList(body: Record<string, unknown>, logistics: number, split: boolean): Record<string, unknown>[] {
  const list = body.shipping_list;
  if (!Array.isArray(list) || list.length === 0) fail(10060014, 'shipping_list is required');
  const items = list as Record<string, unknown>[];
  if (items.length > 15) fail(10060024, 'shipping_list has more than 15 items');
  if (!split && items.length !== 1) fail(268485228, 'unified delivery needs exactly one shipping_list item');
  for (const it of items) {
    const desc = str(it.item_desc);
    if (!desc) fail(10060008, 'item_desc is empty');
    if (Array.from(desc).length > 120) fail(10060009, 'item_desc is longer than 120 characters');
    if (logistics === 1) {
      if (!str(it.tracking_no)) fail(268485226, 'tracking_no is empty');
      if (!str(it.express_company)) fail(268485227, 'express_company is empty');
      if (Buffer.byteLength(str(it.tracking_no)) > 128) fail(10060026, 'tracking_no too long');
      if (Buffer.byteLength(str(it.express_company)) > 128) fail(10060025, 'express_company too long');
    }
  }
  return items;
}

export async function uploadShippingInfo(ctx: ShippingContext, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const key = orderKey(body);
  const { order, payment } = await paidOrder(ctx, key);
  if (refunded(payment) || order.state >= 3) fail(10060004, 'order is not in a shippable state');
  const logistics = body.logistics_type;
  if (typeof logistics !== 'number' || ![1, 2, 3, 4].includes(logistics)) fail(10060005, 'invalid logistics_type');
  const mode = body.delivery_mode ?? 1;
  if (mode !== 1 && mode !== 2) fail(268485224, 'invalid delivery_mode');
  const split = mode === 2;
  if (split && logistics !== 1) fail(10060006, 'only express may use split delivery');
  if (split && typeof body.is_all_delivered !== 'boolean') fail(10060007, 'is_all_delivered is required for split delivery');
  const list = checkList(body, logistics as number, split);
  const uploadTime = str(body.upload_time);
  if (!RFC3339.test(uploadTime)) fail(268485216, 'upload_time is not RFC 3339');
  const payer = str((body.payer as { openid?: unknown } | undefined)?.openid);
  if (payer !== payment.openid) fail(10060031, 'payer openid does not match the payment');
  const record: ShippingRecord = { logistics_type: logistics as number, delivery_mode: mode as number, ...(split ? { is_all_delivered: body.is_all_delivered as boolean } : {}), shipping_list: list, upload_time: uploadTime };
  if (order.shipping) {
    if (JSON.stringify(order.shipping) === JSON.stringify(record)) fail(10060023, 'shipping info unchanged');
    if (Date.parse(uploadTime) <= Date.parse(order.shipping.upload_time)) fail(10060014, 'upload_time must be later than the last upload');
    if (order.uploads >= 2) fail(10060003, 're-shipment already used');
  }
  order.shipping = record;
  order.uploads += 1;
  order.state = 2;
  ctx.state.save();
  return {};
}

function lookupKey(body: Record<string, unknown>): { mchid?: string; out_trade_no?: string; transaction_id?: string } {
  if (str(body.transaction_id)) return { transaction_id: str(body.transaction_id) };
  if (str(body.merchant_id) && str(body.merchant_trade_no)) return { mchid: str(body.merchant_id), out_trade_no: str(body.merchant_trade_no) };
  return fail(10060014, 'transaction_id or merchant_id + merchant_trade_no is required');
}

export function orderAnswer(o: PlatformOrder, p: Payment): Record<string, unknown> {
  const s = o.shipping;
  return {
    transaction_id: o.transaction_id, merchant_id: o.mchid, merchant_trade_no: o.out_trade_no, openid: o.openid, paid_amount: o.paid_amount, pay_time: o.pay_time, trade_create_time: o.pay_time,
    order_state: refunded(p) && o.state < 3 ? 5 : o.state, in_complaint: false,
    shipping: s ? { delivery_mode: s.delivery_mode, logistics_type: s.logistics_type, finish_shipping: s.delivery_mode === 1 || s.is_all_delivered === true, goods_desc: String(s.shipping_list[0]?.item_desc ?? ''), finish_shipping_count: o.uploads - 1, shipping_list: s.shipping_list.map((i) => ({ ...i, goods_desc: i.item_desc, upload_time: Math.floor(Date.parse(s.upload_time) / 1000) })) } : undefined,
  };
}

export async function getOrder(ctx: ShippingContext, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { order, payment } = await paidOrder(ctx, lookupKey(body));
  return { order: orderAnswer(order, payment) };
}

export async function notifyConfirmReceive(ctx: ShippingContext, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { order } = await paidOrder(ctx, lookupKey(body));
  if (order.state !== 2 || !order.shipping) fail(10060028, 'order is not in the shipped state');
  if (order.shipping!.logistics_type !== 1) fail(10060032, 'only express orders can be reminded');
  if (order.reminded) fail(10060030, 'reminder already used');
  const received = body.received_time;
  if (typeof received !== 'number' || received * 1000 < Date.parse(order.shipping!.upload_time)) fail(10060029, 'received_time must be after the shipping time');
  order.reminded = true;
  ctx.state.save();
  return {};
}
