/** payNotify: the HTTP-access function behind WXPAY_NOTIFY_URL. */
import { notifyDeps } from '../../lib/functions/runtime';
import { handlePayNotify } from '../../lib/orders/notify';

export async function main(event: unknown): Promise<unknown> {
  return handlePayNotify(notifyDeps(), event);
}
