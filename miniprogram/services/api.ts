// Typed calls to the cloud functions (their answers' shapes: lib/contract). One transport switch: the cloud
// in production, SCF function URLs with a session token in an http-transport build
// (services/transport-http.ts), the local CloudBase emulator in a local build. A `{error:{code,message}}` result
// becomes a thrown ApiError, so pages only handle success values and ApiError.
import { localConfig } from '../config';
import { ApiError, CLIENT_CODES } from './errors';
import { callLocalFunction } from './local';
import { callHttpFunction } from './transport-http';
import type { CreateOrderInput, CreateOrderResult, OrderView, Product } from '../../lib/contract';

export type { CartLine, CreateOrderInput, CreateOrderResult, OrderView, Product } from '../../lib/contract';

function callCloud(name: string, data: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    wx.cloud.callFunction({
      name,
      data: data as WechatMiniprogram.IAnyObject,
      success: (res) => resolve(res.result),
      fail: (err: { errMsg?: string }) => reject(new ApiError(CLIENT_CODES.NETWORK, (err && err.errMsg) || 'callFunction failed')),
    });
  });
}

export async function callFunction<T>(name: string, data: unknown = {}): Promise<T> {
  let result: unknown;
  if (__MP_HTTP__) result = await callHttpFunction(name, data);
  else if (__MP_LOCAL__) result = await callLocalFunction(localConfig(), name, data);
  else result = await callCloud(name, data);
  if (!result || typeof result !== 'object') throw new ApiError(CLIENT_CODES.BAD_RESPONSE, `${name} returned no object`);
  const error = (result as { error?: { code?: unknown; message?: unknown } }).error;
  if (error) throw new ApiError(String(error.code || 'INTERNAL'), String(error.message || ''));
  return result as T;
}

export const api = {
  login: () => callFunction<{ openid: string }>('login'),
  listProducts: () => callFunction<{ products: Product[] }>('listProducts').then((r) => r.products || []),
  listOrders: () => callFunction<{ orders: OrderView[] }>('listOrders').then((r) => r.orders || []),
  createOrder: (input: CreateOrderInput) => callFunction<CreateOrderResult>('createOrder', input),
  queryOrder: (outTradeNo: string) => callFunction<OrderView>('queryOrder', { outTradeNo }),
  /** After the confirm-receipt component: the server asks the platform (getOrder) about this order. */
  checkReceipt: (outTradeNo: string) => callFunction<{ order: OrderView }>('tradeEvents', { outTradeNo }).then((r) => r.order),
};
