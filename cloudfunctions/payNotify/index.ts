/** payNotify: the HTTP-access function behind WXPAY_NOTIFY_URL. */
import { notifyDeps, prepareSecrets } from '../../lib/functions/runtime';
import { servePayNotify } from '../../lib/functions/pay-notify';

export async function main(event: unknown): Promise<unknown> {
  // ssm: references resolved (cached) first. If that or the configuration fails, WeChat Pay gets a
  // generic 500 (it retries) and the reason goes to our log only.
  return servePayNotify(async () => {
    await prepareSecrets();
    return notifyDeps();
  }, event);
}
