/** listOrders: the caller's own orders, newest first. */
import { clientFunction } from '../../lib/functions/handler';
import { cloud, database } from '../../lib/functions/runtime';
import { listOwnOrders } from '../../lib/shop/catalog';

export const main = clientFunction(() => cloud.getWXContext(), async (_event, caller) => ({ orders: await listOwnOrders(database(), caller.openid) }));
