/**
 * queryOrder, two callers and one code path: the timer trigger reconciles all pending orders;
 * a mini-program user asks about one of their own orders. The timer's work is
 * reconcileAll (lib/functions/reconcile.ts). A timer invocation carries no user,
 * so a client cannot start a reconciliation by sending {Type: 'Timer'}.
 */
import { clientFunction } from '../../lib/functions/handler';
import { reconcileAll } from '../../lib/functions/reconcile';
import { cloud, orderDeps } from '../../lib/functions/runtime';
import { queryOwnOrder } from '../../lib/orders/query';
import { parseQueryOrderRequest } from '../../lib/orders/validate';

const forClient = clientFunction(() => cloud.getWXContext(), async (event, caller) =>
  queryOwnOrder(orderDeps(), caller.openid, parseQueryOrderRequest(event).outTradeNo),
);

export async function main(event: unknown): Promise<unknown> {
  const isTimer = (event as { Type?: unknown } | null)?.Type === 'Timer' && !cloud.getWXContext().OPENID;
  return isTimer ? reconcileAll() : forClient(event);
}
