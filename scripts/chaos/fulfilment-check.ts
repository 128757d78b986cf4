/**
 * Fulfilment invariants after the chaos run's fulfilment phase, checked against the emulated
 * platform's own records (GET /__emulator/platform/orders: what WeChat saw), the orders' fulfilment
 * (what we say) and staff's answers (what we told them). Refunds all happen before the phase, so a
 * refunded order must never have been shipped.
 */
import type { ShipAttempt, ShipPlan } from './fulfilment';

export interface PlatformOrderLike {
  out_trade_no: string;
  state: number;
  uploads: number;
  shipping?: { logistics_type: number; delivery_mode: number; upload_time: string; shipping_list: Array<{ tracking_no?: unknown }> };
}

export interface FulfilmentOrder {
  _id: string;
  status: string;
  deliveryKind?: string;
  fulfilment?: {
    status: string;
    kind: string;
    uploads: number;
    shipments: Array<{ logisticsType: number; deliveryMode: number; uploadTime: string; parcels: Array<{ trackingNo?: string }> }>;
    history: Array<{ from: string; to: string; source: string }>;
    outbox?: unknown;
    settledAt?: unknown;
  } | null;
}

export interface FulfilmentCheckInput {
  orders: FulfilmentOrder[];
  platform: PlatformOrderLike[];
  attempts: ShipAttempt[];
  plans: Record<string, ShipPlan>;
  /** The phase stopped with work left (tick limit or deadline). */
  unfinished?: string;
}

const ORDER = ['PENDING', 'SHIPPED', 'CONFIRMED', 'SETTLED'];
const ours = (state: number | undefined): string => (state === 2 ? 'SHIPPED' : state === 3 ? 'CONFIRMED' : state === 4 ? 'SETTLED' : 'PENDING');
const LOGISTICS: Record<string, number> = { express: 1, same_city: 2, virtual: 3, pickup: 4 };

export function checkFulfilment(input: FulfilmentCheckInput): string[] {
  const v: string[] = [];
  if (input.unfinished) v.push(`fulfilment did not converge: ${input.unfinished}`);
  const platform = new Map(input.platform.map((p) => [p.out_trade_no, p]));
  const byNo = new Map(input.orders.map((o) => [o._id, o]));
  for (const o of input.orders) {
    const p = platform.get(o._id);
    const f = o.fulfilment;
    if (o.status !== 'SUCCESS') {
      if (p?.shipping) v.push(`${o._id}: ${o.status} (not paid, or refunded before shipping) but the platform has a shipment (${p.uploads} upload(s))`);
      if (f && f.shipments.length > 0) v.push(`${o._id}: ${o.status} but ${f.shipments.length} shipment(s) recorded here`);
      continue;
    }
    if (!f) {
      v.push(`${o._id}: paid but has no fulfilment record`);
      continue;
    }
    if (f.status !== 'SETTLED') v.push(`${o._id}: paid (${f.kind}) but fulfilment ${f.status} at the end, expected SETTLED`);
    if (f.status !== ours(p?.state)) v.push(`${o._id}: fulfilment ${f.status} here, the platform's order_state ${p?.state ?? 'none'} (${ours(p?.state)})`);
    if (f.outbox) v.push(`${o._id}: an upload is still owed (outbox not drained)`);
    if (f.kind !== (o.deliveryKind ?? f.kind)) v.push(`${o._id}: fulfilment kind ${f.kind}, the order's delivery kind ${o.deliveryKind}`);
    checkUploads(o._id, f, p, v);
    checkHistory(o._id, f, v);
  }
  for (const p of input.platform) {
    if (p.shipping && !byNo.has(p.out_trade_no)) v.push(`${p.out_trade_no}: the platform has a shipment for an order the database does not have`);
  }
  checkAttempts(input, platform, v);
  return v;
}

/** Exactly once as the platform sees it: its upload count and last record are our shipments'. */
function checkUploads(no: string, f: NonNullable<FulfilmentOrder['fulfilment']>, p: PlatformOrderLike | undefined, v: string[]): void {
  if (f.uploads !== f.shipments.length) v.push(`${no}: uploads ${f.uploads} but ${f.shipments.length} shipments recorded`);
  const uploads = p?.uploads ?? 0;
  if (uploads !== f.shipments.length) v.push(`${no}: the platform counted ${uploads} upload(s), we recorded ${f.shipments.length}`);
  if (f.kind === 'virtual' && f.shipments.length !== 1) v.push(`${no}: virtual goods recorded delivered ${f.shipments.length} times, expected exactly once`);
  const last = f.shipments[f.shipments.length - 1];
  if (!last || !p?.shipping) return;
  if (last.logisticsType !== LOGISTICS[f.kind]) v.push(`${no}: ${f.kind} shipped with logistics_type ${last.logisticsType}`);
  const theirs = p.shipping.shipping_list.map((i) => String(i.tracking_no ?? ''));
  const mine = last.parcels.map((q) => q.trackingNo ?? '');
  if (p.shipping.upload_time !== last.uploadTime || p.shipping.logistics_type !== last.logisticsType || p.shipping.delivery_mode !== last.deliveryMode || theirs.join(',') !== mine.join(',')) {
    v.push(`${no}: the platform's record (${p.shipping.logistics_type}/${p.shipping.delivery_mode} ${theirs.join(',')} at ${p.shipping.upload_time}) is not our last shipment (${last.logisticsType}/${last.deliveryMode} ${mine.join(',')} at ${last.uploadTime})`);
  }
}

/** The history is one chain of steps the transition function allows, ending where the status is. */
function checkHistory(no: string, f: NonNullable<FulfilmentOrder['fulfilment']>, v: string[]): void {
  let at = 'PENDING';
  let shipped = 0;
  for (const [i, t] of f.history.entries()) {
    if (t.from !== at) v.push(`${no}: history step ${i} goes ${t.from}→${t.to}, but the fulfilment was ${at}`);
    const forward = ORDER.indexOf(t.to) > ORDER.indexOf(t.from);
    const reship = t.from === 'SHIPPED' && t.to === 'SHIPPED' && t.source === 'staff';
    if (!forward && !reship && t.source !== 'refused') v.push(`${no}: history step ${i} ${t.from}→${t.to} (${t.source}) is not a step the transition function takes`);
    if ((t.to === 'CONFIRMED' || t.to === 'SETTLED') && !['push', 'poll', 'check'].includes(t.source)) v.push(`${no}: ${t.to} by ${t.source}: only the platform's word (getOrder after a push, poll or check) may confirm or settle`);
    if (t.to === 'SHIPPED' && (t.source === 'staff' || t.source === 'auto')) shipped += 1;
    if (t.source === 'refused') shipped -= 1;
    if (t.source === 'auto' && f.kind !== 'virtual') v.push(`${no}: ${f.kind} goods shipped automatically`);
    at = t.to;
  }
  if (at !== f.status) v.push(`${no}: history ends at ${at}, status is ${f.status}`);
  if (shipped !== f.shipments.length) v.push(`${no}: ${shipped} shipping steps in the history (net of refusals), ${f.shipments.length} shipments`);
  const settled = f.history.filter((t) => t.to === 'SETTLED').length;
  if (f.status === 'SETTLED' && settled !== 1) v.push(`${no}: ${settled} steps to SETTLED in the history, expected exactly one`);
  if (f.status === 'SETTLED' && !f.settledAt) v.push(`${no}: SETTLED without settledAt`);
}

/** What staff were told against what the platform has. */
function checkAttempts(input: FulfilmentCheckInput, platform: Map<string, PlatformOrderLike>, v: string[]): void {
  for (const a of input.attempts) {
    if (a.expectRefusal !== undefined) {
      if (a.answer !== 'refused' || a.wxErrcode !== a.expectRefusal) v.push(`${a.outTradeNo}: staff's ${a.plan} shipment should be refused ${a.expectRefusal}, was ${a.answer}${a.wxErrcode ? ` ${a.wxErrcode}` : ''}${a.reason ? ` (${a.reason})` : ''}`);
    } else if (a.answer !== 'ok') v.push(`${a.outTradeNo}: staff's ${a.plan} shipment ended ${a.answer} (${a.reason ?? ''}${a.wxErrcode ? ` ${a.wxErrcode}` : ''})`);
  }
  for (const [no, plan] of Object.entries(input.plans)) {
    const p = platform.get(no);
    const expected = plan === 'reship' ? 2 : 1;
    if ((p?.uploads ?? 0) !== expected) v.push(`${no}: ${plan} plan, the platform counted ${p?.uploads ?? 0} upload(s), expected ${expected}`);
    const lastOk = input.attempts.filter((a) => a.outTradeNo === no && a.answer === 'ok').pop();
    const theirs = (p?.shipping?.shipping_list ?? []).map((i) => String(i.tracking_no ?? '')).filter(Boolean);
    if (lastOk && plan !== 'local' && theirs.join(',') !== lastOk.trackingNos.join(',')) v.push(`${no}: staff were last told ${lastOk.trackingNos.join(',')} was recorded, the platform has ${theirs.join(',') || 'nothing'}`);
  }
}
