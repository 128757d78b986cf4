/** createOrder: server-side prices → order → JSAPI prepay → wx.requestPayment params. */
import { clientFunction } from '../../lib/functions/handler';
import { cloud, orderDeps } from '../../lib/functions/runtime';
import { createOrder } from '../../lib/orders/create';
import { parseCreateOrderRequest } from '../../lib/orders/validate';

export const main = clientFunction(() => cloud.getWXContext(), async (event, caller) =>
  createOrder(orderDeps(), caller.openid, parseCreateOrderRequest(event)),
);
