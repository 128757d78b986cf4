/**
 * tradeEvents, the three ways news about an order after payment arrives:
 *   - a message push routed to the function on WeChat Cloud (the event is the message JSON);
 *   - a message push to our own URL off-cloud (HTTP event; mp signature with MSG_PUSH_TOKEN; GET = URL check);
 *   - the order's owner back from the confirm-receipt component ({outTradeNo}): a server check only.
 * Every one of them only triggers getOrder about that very order (push.ts).
 */
import { APP_ERROR_CODES, AppError } from '../errors';
import { isHttpEvent, parseHttpEvent, type HttpResponse } from '../http/event';
import { toOrderView, type Order, type OrderView } from '../orders/model';
import { parseQueryOrderRequest } from '../orders/validate';
import { checkPushSignature } from '../platform/msgpush';
import { COLLECTIONS } from '../store/collections';
import { getDocOrNull } from '../store/db';
import type { FulfilmentDeps } from './deps';
import { checkReceipt, handleTradePush } from './push';

const text = (statusCode: number, body: string): HttpResponse => ({ statusCode, headers: { 'content-type': 'text/plain' }, body, isBase64Encoded: false });

export const isPushMessage = (event: unknown): boolean => typeof event === 'object' && event !== null && (event as { MsgType?: unknown }).MsgType === 'event' && !isHttpEvent(event);

/** Off-cloud push URL. Without MSG_PUSH_TOKEN nothing is accepted (we cannot tell WeChat from anyone). */
export async function handlePushHttp(deps: FulfilmentDeps, token: string | undefined, event: unknown): Promise<HttpResponse> {
  const req = parseHttpEvent(event);
  const q = ((event as { queryStringParameters?: Record<string, string> }).queryStringParameters ?? {}) as Record<string, string | undefined>;
  if (!token) return text(500, 'MSG_PUSH_TOKEN is not configured');
  const check = checkPushSignature(token, q, deps.now());
  if (!check.ok) {
    deps.log('fulfilment.push_rejected', { reason: check.reason });
    return text(401, check.reason);
  }
  if (req.method === 'GET') return text(200, q.echostr ?? '');
  let message: unknown;
  try {
    message = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return text(400, 'configure the message push data format as JSON (plaintext or compatible mode)');
  }
  if ((message as { Encrypt?: unknown }).Encrypt !== undefined && (message as { MsgType?: unknown }).MsgType === undefined) return text(400, 'safe (AES) mode is not supported: use plaintext or compatible mode');
  return text(200, await handleTradePush(deps, message as Record<string, unknown>));
}

export async function checkOwnReceipt(deps: FulfilmentDeps, openid: string, input: unknown): Promise<{ order: OrderView }> {
  const { outTradeNo } = parseQueryOrderRequest(input);
  const order = (await getDocOrNull(deps.db, COLLECTIONS.orders, outTradeNo)) as unknown as Order | null;
  if (!order || order.openid !== openid) throw new AppError(APP_ERROR_CODES.ORDER_NOT_FOUND, 'No such order.');
  await checkReceipt(deps, order);
  return { order: toOrderView((await getDocOrNull(deps.db, COLLECTIONS.orders, outTradeNo)) as unknown as Order) };
}
