/**
 * HTTP surface of the platform (routed from server.ts):
 *   POST /cgi-bin/stable_token, POST /wxa/sec/order/<api>?access_token=   the access-token path
 *   GET  /__emulator/platform/orders          the platform's view of every order
 *   POST /__emulator/platform/confirm         {outTradeNo | transactionId, by?: 'customer' | 'auto', settle?: false}
 *   POST /__emulator/platform/settle          {outTradeNo?}: confirmed (确认收货) orders settle now
 *   POST /__emulator/platform/fast-forward    {outTradeNo?}: auto-confirm every shipped order now
 *   GET|POST /__emulator/platform/faults      {systemErrorRate, rateLimitRate, dropPushRate, duplicatePushRate, seed}
 */
import type { MiniPlatform } from './index';

export interface ControlReply {
  status: number;
  json: unknown;
}

const asObject = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export async function routePlatform(platform: MiniPlatform | undefined, method: string, url: URL, body: unknown): Promise<ControlReply | null> {
  const p = url.pathname;
  const isApi = method === 'POST' && (p === '/cgi-bin/stable_token' || p.startsWith('/wxa/sec/order/'));
  if (!isApi && !p.startsWith('/__emulator/platform/')) return null;
  if (!platform) return { status: 404, json: { code: 'CB_NO_PLATFORM', message: 'this emulator runs without the mini-program platform (start it with the platform option; the local stack does)' } };
  if (isApi) return { status: 200, json: await platform.http(p, url.searchParams, asObject(body)) };
  const b = asObject(body);
  if (method === 'GET' && p === '/__emulator/platform/orders') return { status: 200, json: { orders: platform.orders() } };
  if (method === 'GET' && p === '/__emulator/platform/faults') return { status: 200, json: { faults: platform.currentFaults(), injected: platform.injected } };
  if (method === 'POST' && p === '/__emulator/platform/faults') {
    try {
      return { status: 200, json: { faults: platform.setFaults(b) } };
    } catch (e) {
      return { status: 400, json: { code: 'INVALID_PARAM', message: (e as Error).message } };
    }
  }
  if (method === 'POST' && p === '/__emulator/platform/confirm') {
    const filter = { out_trade_no: typeof b.outTradeNo === 'string' ? b.outTradeNo : undefined, transaction_id: typeof b.transactionId === 'string' ? b.transactionId : undefined };
    if (!filter.out_trade_no && !filter.transaction_id) return { status: 400, json: { code: 'INVALID_PARAM', message: 'outTradeNo or transactionId is required' } };
    const moved = await platform.confirm(filter, b.by === 'auto' ? 1 : 2, b.settle !== false);
    if (!moved.length) return { status: 409, json: { code: 'NOT_SHIPPED', message: 'no shipped (已发货) order matches: record the shipment first' } };
    return { status: 200, json: { confirmed: moved } };
  }
  if (method === 'POST' && p === '/__emulator/platform/settle') {
    const moved = await platform.settle({ out_trade_no: typeof b.outTradeNo === 'string' ? b.outTradeNo : undefined });
    return { status: 200, json: { settled: moved } };
  }
  if (method === 'POST' && p === '/__emulator/platform/fast-forward') {
    const moved = await platform.confirm({ out_trade_no: typeof b.outTradeNo === 'string' ? b.outTradeNo : undefined }, 1);
    return { status: 200, json: { confirmed: moved } };
  }
  return { status: 404, json: { code: 'NOT_FOUND', message: `no platform endpoint ${method} ${p}` } };
}
