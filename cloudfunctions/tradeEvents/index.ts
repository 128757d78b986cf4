/**
 * tradeEvents: the platform's pushes about orders after payment (trade_manage_order_settlement,
 * trade_manage_remind_shipping) — routed here on WeChat Cloud (消息推送 → this function) or to its
 * HTTP access path off-cloud (MSG_PUSH_TOKEN) — and the customer's "I confirmed receipt" check.
 */
import { checkOwnReceipt, handlePushHttp, isPushMessage } from '../../lib/fulfilment/events';
import { handleTradePush } from '../../lib/fulfilment/push';
import { clientFunction } from '../../lib/functions/handler';
import { cloud, fulfilmentDeps, prepareSecrets } from '../../lib/functions/runtime';
import { isHttpEvent } from '../../lib/http/event';

const forClient = clientFunction(() => cloud.getWXContext(), async (event, caller) => checkOwnReceipt(fulfilmentDeps(), caller.openid, event));

export async function main(event: unknown): Promise<unknown> {
  if (isPushMessage(event)) {
    await prepareSecrets();
    return handleTradePush(fulfilmentDeps(), event as Record<string, unknown>);
  }
  if (isHttpEvent(event) && (event as { queryStringParameters?: { signature?: string } }).queryStringParameters?.signature) {
    await prepareSecrets();
    return handlePushHttp(fulfilmentDeps(), process.env.MSG_PUSH_TOKEN, event);
  }
  return forClient(event);
}
