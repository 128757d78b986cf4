/**
 * reconcileBill, two callers and one code path: the timer (every 10 minutes; from 10:30 China
 * time it reconciles yesterday until done) and merchant staff (BILL_ADMIN_OPENIDS) running or
 * reading any day of the last 3 months. A timer invocation carries no user, so a client cannot
 * start the timer's work by sending {Type: 'Timer'}.
 */
import { billTimerTick } from '../../lib/bills/timer';
import { requestBillReconciliation } from '../../lib/bills/request';
import { clientFunction } from '../../lib/functions/handler';
import { billDeps, cloud, prepareSecrets } from '../../lib/functions/runtime';

const forStaff = clientFunction(() => cloud.getWXContext(), async (event, caller) => requestBillReconciliation(billDeps(), caller.openid, event));

export async function main(event: unknown): Promise<unknown> {
  const isTimer = (event as { Type?: unknown } | null)?.Type === 'Timer' && !cloud.getWXContext().OPENID;
  if (!isTimer) return forStaff(event);
  await prepareSecrets();
  return billTimerTick(billDeps());
}
