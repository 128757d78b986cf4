/** refundOrder: staff only (REFUND_ADMIN_OPENIDS) — full or partial refund of a paid order. */
import { clientFunction } from '../../lib/functions/handler';
import { cloud, refundDeps } from '../../lib/functions/runtime';
import { requestRefund } from '../../lib/refunds/request';

export const main = clientFunction(() => cloud.getWXContext(), async (event, caller) => requestRefund(refundDeps(), caller.openid, event));
