/**
 * queryOrder, two callers and one code path: the timer trigger reconciles all pending orders;
 * a mini-program user asks about one of their own orders. A timer invocation carries no user,
 * so a client cannot start a reconciliation by sending {Type: 'Timer'}.
 */
import { clientFunction } from '../../lib/functions/handler';
import { reconcileFulfilment } from '../../lib/fulfilment/reconcile';
import { cloud, fulfilmentDeps, orderDeps, prepareSecrets, refundDeps } from '../../lib/functions/runtime';
import { queryOwnOrder } from '../../lib/orders/query';
import { reconcile } from '../../lib/orders/reconcile';
import { parseQueryOrderRequest } from '../../lib/orders/validate';
import { reconcileRefunds } from '../../lib/refunds/reconcile';

const forClient = clientFunction(() => cloud.getWXContext(), async (event, caller) =>
  queryOwnOrder(orderDeps(), caller.openid, parseQueryOrderRequest(event).outTradeNo),
);

export async function main(event: unknown): Promise<unknown> {
  const isTimer = (event as { Type?: unknown } | null)?.Type === 'Timer' && !cloud.getWXContext().OPENID;
  return isTimer ? reconcileAll() : forClient(event);
}

/**
 * One timer for the state machines: pending orders, then PROCESSING refunds, then fulfilment. Each half runs even
 * when the other fails, so an order-side outage never stalls refunds (or the reverse).
 */
async function reconcileAll(): Promise<unknown> {
  await prepareSecrets(); // client calls get this from clientFunction
  const [orders, refunds] = await Promise.allSettled([(async () => reconcile(orderDeps()))(), (async () => reconcileRefunds(refundDeps()))()]);
  // After the payments: shipping owed, virtual deliveries, shipped orders the pushes left unsettled.
  const fulfilment = await Promise.allSettled([(async () => reconcileFulfilment(fulfilmentDeps()))()]).then(([r]) => r);
  if (orders.status === 'rejected') throw orders.reason;
  if (refunds.status === 'rejected') throw refunds.reason;
  if (fulfilment.status === 'rejected') throw fulfilment.reason;
  return { ...orders.value, refunds: refunds.value, fulfilment: fulfilment.value };
}
