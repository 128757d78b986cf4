/** payNotify: the HTTP-access function behind WXPAY_NOTIFY_URL. */
import { notifyDeps, prepareSecrets } from '../../lib/functions/runtime';
import { handlePayNotify } from '../../lib/orders/notify';

export async function main(event: unknown): Promise<unknown> {
  // ssm: references resolved (cached) first; if that fails the invocation fails and WeChat Pay retries.
  await prepareSecrets();
  return handlePayNotify(notifyDeps(), event);
}
