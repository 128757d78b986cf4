/** shipOrder: staff only (SHIPPING_ADMIN_OPENIDS, else REFUND_ADMIN_OPENIDS) — record a paid order's shipment on the platform. */
import { clientFunction } from '../../lib/functions/handler';
import { cloud, fulfilmentDeps } from '../../lib/functions/runtime';
import { shipOrder } from '../../lib/fulfilment/ship';

export const main = clientFunction(() => cloud.getWXContext(), async (event, caller) => shipOrder(fulfilmentDeps(), caller.openid, event));
