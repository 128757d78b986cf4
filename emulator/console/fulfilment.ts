/**
 * The console's after-the-payment actions: staff record a shipment (shipOrder as the stack's staff
 * openid, through POST /functions/shipOrder), and the developer plays the customer or the platform's
 * clock on the CloudBase emulator's mini-program platform (/__emulator/platform/confirm | fast-forward).
 * Input is checked here first; the function's and the platform's refusals are relayed with their code.
 */
import { ConsoleError } from './errors';
import type { Upstream, UpstreamReply } from './upstream';

const text = (body: Record<string, unknown>, key: string): string | undefined => {
  const v = body[key];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw new ConsoleError(400, 'INVALID_INPUT', `${key} must be text`);
  return v.trim();
};

export async function shipAction(upstream: Upstream, staffOpenid: unknown, body: Record<string, unknown>): Promise<UpstreamReply> {
  if (typeof staffOpenid !== 'string' || !staffOpenid) throw new ConsoleError(409, 'NO_STAFF_OPENID', 'this console was started without a staff openid (info.staffOpenid): start it through the local stack');
  const outTradeNo = text(body, 'outTradeNo');
  if (!outTradeNo) throw new ConsoleError(400, 'INVALID_INPUT', 'outTradeNo is required');
  const trackingNo = text(body, 'trackingNo');
  const expressCompany = text(body, 'expressCompany');
  const data = { outTradeNo, ...(trackingNo || expressCompany ? { parcels: [{ trackingNo, expressCompany }] } : {}) };
  const r = await upstream.callFunction('shipOrder', data, staffOpenid);
  if (r.status !== 200 || r.body?.errCode) throw new ConsoleError(502, 'FUNCTION_FAILED', `shipOrder: ${r.body?.errMsg ?? `HTTP ${r.status}`}`);
  const error = r.body?.result?.error;
  if (error) return { status: error.code === 'FORBIDDEN' ? 403 : error.code === 'ORDER_NOT_FOUND' ? 404 : error.code === 'INVALID_INPUT' ? 400 : 409, body: { error } };
  return { status: 200, body: r.body.result };
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
