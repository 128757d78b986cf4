/**
 * `npm run local -- bill [YYYY-MM-DD|yesterday|today] [--get|--list]` (alias `npm run bill -- …`):
 * reconcile a day against WeChat Pay's bill on the running local stack (`npm start`), as the local
 * staff member, through the real reconcileBill function — the same call the console's Run button
 * makes. The default date is yesterday (China time). Exit 0 for a day that matched (or healed),
 * 1 when it has discrepancies or failed (so scripts can branch on it), 2 when it could not be asked.
 */
import { addDays, chinaDateOf } from '../../lib/bills/days';
import type { BillReconciliationView } from '../../lib/bills/model';
import { padEndDisplay, t } from '../i18n';
import { formatBillDay } from './bill-report';
import { LOCAL_STAFF_OPENID } from './staff';

export interface CommandIo {
  /** The CloudBase emulator's origin, e.g. http://127.0.0.1:8790. */
  base: string;
  /** How the user typed the command, for the usage line: 'npm run local -- bill' or 'npm run bill --'. */
  cmd: string;
  out(line: string): void;
  err(line: string): void;
}

interface BillAnswer {
  result?: { error?: { code: string; message: string }; day?: BillReconciliationView | null; days?: BillReconciliationView[] };
  errMsg?: string;
}

export async function billCommand(args: string[], io: CommandIo): Promise<number> {
  if (args.includes('--help')) {
    io.out(t('bill.usage', { cmd: io.cmd }));
    return 0;
  }
  const word = args.find((a) => !a.startsWith('--')) ?? 'yesterday';
  const today = chinaDateOf(Date.now());
  const billDate = word === 'yesterday' ? addDays(today, -1) : word === 'today' ? today : word;
  const action = args.includes('--list') ? 'list' : args.includes('--get') ? 'get' : 'run';
  let res: Response;
  try {
    res = await fetch(`${io.base}/functions/reconcileBill`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      // The date as typed: reconcileBill checks it and says what is wrong (INVALID_INPUT).
      body: JSON.stringify({ data: action === 'list' ? { action } : { action, billDate }, openid: LOCAL_STAFF_OPENID }),
    });
  } catch {
    io.err(t('bill.noStack', { base: io.base }));
    return 2;
  }
  const payload = (await res.json()) as BillAnswer;
  const result = payload.result;
  if (!result) {
    io.err(t('bill.failed', { detail: payload.errMsg ?? res.status }));
    return 2;
  }
  if (result.error) {
    io.err(`${result.error.code}: ${result.error.message}`);
    return 2;
  }
  if (result.days) {
    if (result.days.length === 0) io.out(t('bill.noDays', { cmd: io.cmd }));
    for (const d of result.days) io.out(t('bill.listLine', { billDate: d.billDate, status: padEndDisplay(d.status, 13), matched: d.matched, healed: d.healedCount, discrepancies: d.discrepancyCount }));
    return 0;
  }
  if (!result.day) {
    io.out(t('bill.none', { billDate, cmd: io.cmd }));
    return 0;
  }
  io.out(formatBillDay(result.day));
  return result.day.status === 'DISCREPANCIES' || result.day.status === 'FAILED' ? 1 : 0;
}
