/**
 * After the chaos run: the daily bill reconciliation of every day the run's payments and refunds
 * fall on, through the reconcileBill function as merchant staff, against the simulator's bill of
 * its own ledger. The simulator's clock is moved past 10:00 China time of the next day (when a
 * bill becomes ready). Each day must end MATCHED or HEALED with no discrepancy: every difference is
 * either healed by a verified query (the reconciliation does that) or explained by a fault the
 * checker injected. Injected here: the simulator's API errors (SYSTEM_ERROR / FREQUENCY_LIMITED,
 * still on) and, for the first day's first two runs, a corrupted file (hash mismatch) and a
 * truncated gzip — each must end that run FAILED with its code and commit nothing, and a later run
 * must reconcile the day. A FAILED run no injected fault explains, or a day still not final after
 * its runs, is a violation too.
 */
import { addDays, chinaDateOf, chinaMidnightOf } from '../../lib/bills/days';
import { CHAOS_STAFF_OPENID } from './customers';
import { callFunction, getJson, postJson } from './http';

export interface BillDayOutcome {
  billDate: string;
  status: string;
  runs: number;
  matched: number;
  healed: number;
  discrepancies: Array<{ kind: string; outTradeNo?: string; outRefundNo?: string; detail: string }>;
  /** Runs that ended FAILED and were run again, with the fault injected for that run (if any). */
  failedRuns: number;
  failures: Array<{ code: string; injected?: BillFault }>;
  /** Injected bill faults a run did not fail on (a corrupted or cut file accepted). */
  accepted: BillFault[];
}

export type BillFault = 'corruptBill' | 'truncateBill';
/** What each injected bill fault must end a run with. */
export const BILL_FAULT_CODES: Record<BillFault, string> = { corruptBill: 'BILL_HASH_MISMATCH', truncateBill: 'BILL_TRUNCATED' };
/** The simulator's injected API errors (emulator/wechat/faults.ts), which may fail a run after the client's retries. */
const API_FAULT_CODES = new Set(['SYSTEM_ERROR', 'FREQUENCY_LIMITED']);

const FINAL = new Set(['MATCHED', 'HEALED', 'DISCREPANCIES', 'NO_STATEMENT']);
const MAX_RUNS = 12;

/** The China dates the ledger's payments fall on, plus the simulator's today (refunds happen then). */
export function runDays(successTimes: Array<string | null>, simNow: number): string[] {
  const days = new Set<string>([chinaDateOf(simNow)]);
  for (const t of successTimes) if (t) days.add(chinaDateOf(Date.parse(t)));
  return [...days].sort();
}

export async function reconcileRunDays(cloudbaseUrl: string, simulatorUrl: string, days: string[], onResponse?: (raw: string) => void): Promise<BillDayOutcome[]> {
  const clock = await getJson(`${simulatorUrl}/__sim/clock`);
  const readyAt = chinaMidnightOf(addDays(days[days.length - 1], 1)) + 10 * 3600_000 + 60_000;
  if (clock.now < readyAt) await postJson(`${simulatorUrl}/__sim/clock`, { advanceSeconds: Math.ceil((readyAt - clock.now) / 1000) });
  const out: BillDayOutcome[] = [];
  const planned: BillFault[] = ['corruptBill', 'truncateBill'];
  for (const billDate of days) {
    const day: BillDayOutcome = { billDate, status: 'NOT_RUN', runs: 0, matched: 0, healed: 0, discrepancies: [], failedRuns: 0, failures: [], accepted: [] };
    while (day.runs < MAX_RUNS && !FINAL.has(day.status)) {
      day.runs += 1;
      const injected = planned.shift();
      await postJson(`${simulatorUrl}/__sim/bills/faults`, injected ? { [injected]: true } : {});
      const answer = await callFunction<any>(cloudbaseUrl, 'reconcileBill', { action: 'run', billDate }, CHAOS_STAFF_OPENID, undefined, onResponse);
      if (!answer.ok) {
        day.status = `ERROR ${answer.reason}`;
        continue;
      }
      const view = answer.value.day;
      day.status = String(view?.status ?? 'NONE');
      if (day.status === 'FAILED') {
        day.failedRuns += 1;
        day.failures.push({ code: String(view?.error?.code ?? 'UNKNOWN'), ...(injected ? { injected } : {}) });
      } else if (injected && FINAL.has(day.status)) day.accepted.push(injected);
      day.matched = view?.matched ?? 0;
      day.healed = view?.healedCount ?? 0;
      day.discrepancies = view?.discrepancies ?? [];
    }
    out.push(day);
  }
  await postJson(`${simulatorUrl}/__sim/bills/faults`, {});
  return out;
}

/** Zero unexplained discrepancies: every day final and MATCHED/HEALED (NO_STATEMENT only for a day without payments). */
export function checkBillDays(days: BillDayOutcome[], paymentDays: Set<string>): string[] {
  const v: string[] = [];
  for (const d of days) {
    const ok = d.status === 'MATCHED' || d.status === 'HEALED' || (d.status === 'NO_STATEMENT' && !paymentDays.has(d.billDate));
    if (!ok) v.push(`bill ${d.billDate}: ${d.status} after ${d.runs} run(s), expected MATCHED or HEALED`);
    for (const x of d.discrepancies) v.push(`bill ${d.billDate}: unexplained ${x.kind} ${x.outTradeNo ?? ''}${x.outRefundNo ? ` refund ${x.outRefundNo}` : ''}: ${x.detail}`);
    for (const f of d.accepted) v.push(`bill ${d.billDate}: a run with ${f} injected ended ${d.status}, expected FAILED ${BILL_FAULT_CODES[f]} (a bad file must never be reconciled)`);
    for (const f of d.failures) {
      const explained = API_FAULT_CODES.has(f.code) || (f.injected !== undefined && f.code === BILL_FAULT_CODES[f.injected]);
      if (!explained) v.push(`bill ${d.billDate}: a run FAILED with ${f.code}${f.injected ? ` while ${f.injected} was injected (expected ${BILL_FAULT_CODES[f.injected]})` : ', which no injected fault explains'}`);
    }
  }
  return v;
}
