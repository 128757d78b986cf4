/**
 * `npm run bill -- [YYYY-MM-DD|yesterday|today] [--get|--list]`: reconcile a day against WeChat Pay's
 * bill on the running local stack (`npm start`), as the local staff member, through the real
 * reconcileBill function. The default date is yesterday (China time). Exit 1 when the day has
 * discrepancies or failed, so scripts can branch on it.
 */
import { addDays, chinaDateOf } from '../lib/bills/days';
import type { BillReconciliationView } from '../lib/bills/model';
import { formatBillDay } from './local/bill-report';
import { LOCAL_STAFF_OPENID } from './local/staff';
import { DEFAULT_CLOUDBASE_PORT } from './local/stack';
import { cliArgs, padEndDisplay, t } from './i18n';

async function main(): Promise<number> {
  const args = cliArgs();
  if (args.includes('--help')) {
    console.log(t('bill.usage'));
    return 0;
  }
  const base = process.env.CLOUDBASE_URL ?? `http://127.0.0.1:${process.env.CLOUDBASE_EMULATOR_PORT ?? DEFAULT_CLOUDBASE_PORT}`;
  const word = args.find((a) => !a.startsWith('--')) ?? 'yesterday';
  const today = chinaDateOf(Date.now());
  const billDate = word === 'yesterday' ? addDays(today, -1) : word === 'today' ? today : word;
  const action = args.includes('--list') ? 'list' : args.includes('--get') ? 'get' : 'run';
  let res: Response;
  try {
    res = await fetch(`${base}/functions/reconcileBill`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: action === 'list' ? { action } : { action, billDate }, openid: LOCAL_STAFF_OPENID }),
    });
  } catch {
    console.error(t('bill.noStack', { base }));
    return 2;
  }
  const payload = (await res.json()) as { result?: { error?: { code: string; message: string }; day?: BillReconciliationView | null; days?: BillReconciliationView[] }; errMsg?: string };
  const result = payload.result;
  if (!result) {
    console.error(t('bill.failed', { detail: payload.errMsg ?? res.status }));
    return 2;
  }
  if (result.error) {
    console.error(`${result.error.code}: ${result.error.message}`);
    return 2;
  }
  if (result.days) {
    for (const d of result.days) console.log(t('bill.listLine', { billDate: d.billDate, status: padEndDisplay(d.status, 13), matched: d.matched, healed: d.healedCount, discrepancies: d.discrepancyCount }));
    return 0;
  }
  if (!result.day) {
    console.log(t('bill.none', { billDate }));
    return 0;
  }
  console.log(formatBillDay(result.day));
  return result.day.status === 'DISCREPANCIES' || result.day.status === 'FAILED' ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error((err as Error).message);
  process.exit(2);
});
