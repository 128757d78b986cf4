/**
 * The console's after-the-payment actions: staff record a shipment (shipOrder as the stack's staff
 * openid, through POST /functions/shipOrder), and the developer plays the customer or the platform's
 * clock on the CloudBase emulator's mini-program platform (/__emulator/platform/confirm | fast-forward).
 * Input is checked here first; the function's and the platform's refusals are relayed with their code.
 */
import { ConsoleError } from './errors';
import { callAsStaff, staffOpenidOf } from './staff';
import type { Upstream, UpstreamReply } from './upstream';

const text = (body: Record<string, unknown>, key: string): string | undefined => {
  const v = body[key];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw new ConsoleError(400, 'INVALID_INPUT', `${key} must be text`);
  return v.trim();
};

export async function shipAction(upstream: Upstream, staffOpenid: unknown, body: Record<string, unknown>): Promise<UpstreamReply> {
  const staff = staffOpenidOf(staffOpenid, 'ship');
  const outTradeNo = text(body, 'outTradeNo');
  if (!outTradeNo) throw new ConsoleError(400, 'INVALID_INPUT', 'outTradeNo is required');
  const trackingNo = text(body, 'trackingNo');
  const expressCompany = text(body, 'expressCompany');
  const data = { outTradeNo, ...(trackingNo || expressCompany ? { parcels: [{ trackingNo, expressCompany }] } : {}) };
  return callAsStaff(upstream, 'shipOrder', data, staff);
}

export async function receiptAction(upstream: Upstream, body: Record<string, unknown>): Promise<UpstreamReply> {
  const outTradeNo = text(body, 'outTradeNo');
  if (!outTradeNo) throw new ConsoleError(400, 'INVALID_INPUT', 'outTradeNo is required');
  const by = body.by ?? 'customer';
  if (by !== 'customer' && by !== 'auto') throw new ConsoleError(400, 'INVALID_INPUT', 'by must be "customer" or "auto"');
  return upstream.platform('POST', by === 'auto' ? '/fast-forward' : '/confirm', { outTradeNo, by });
}

/** The platform's record of one order, or null (not shipped or looked up yet, or no platform). */
export async function platformOrder(upstream: Upstream, outTradeNo: string): Promise<unknown> {
  const r = await upstream.platform('GET', '/orders');
  if (r.status !== 200) return null;
  return (r.body.orders as { out_trade_no: string }[]).find((o) => o.out_trade_no === outTradeNo) ?? null;
}
