/**
 * After the chaos run: the daily bill reconciliation of every day the run's payments and refunds
 * fall on, through the reconcileBill function as merchant staff, against the simulator's bill of
 * its own ledger. The simulator's clock is moved past 10:00 China time of the next day (when a
 * bill becomes ready). Each day must end MATCHED or HEALED with no discrepancy: every difference is
 * either healed by a verified query (the reconciliation does that) or explained by a fault the
 * checker injected — and the only ones injected here are API errors, which fail a run (FAILED) and
 * are retried, never a difference. A day still not final after its runs is a violation too.
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
  /** Runs that ended FAILED (an injected API error) and were run again. */
  failedRuns: number;
}

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
  for (const billDate of days) {
    const day: BillDayOutcome = { billDate, status: 'NOT_RUN', runs: 0, matched: 0, healed: 0, discrepancies: [], failedRuns: 0 };
    while (day.runs < MAX_RUNS && !FINAL.has(day.status)) {
      day.runs += 1;
      const answer = await callFunction<any>(cloudbaseUrl, 'reconcileBill', { action: 'run', billDate }, CHAOS_STAFF_OPENID, undefined, onResponse);
      if (!answer.ok) {
        day.status = `ERROR ${answer.reason}`;
        continue;
      }
      const view = answer.value.day;
      day.status = String(view?.status ?? 'NONE');
      if (day.status === 'FAILED') day.failedRuns += 1;
      day.matched = view?.matched ?? 0;
      day.healed = view?.healedCount ?? 0;
      day.discrepancies = view?.discrepancies ?? [];
    }
    out.push(day);
  }
  return out;
}

/** Zero unexplained discrepancies: every day final and MATCHED/HEALED (NO_STATEMENT only for a day without payments). */
export function checkBillDays(days: BillDayOutcome[], paymentDays: Set<string>): string[] {
  const v: string[] = [];
  for (const d of days) {
    const ok = d.status === 'MATCHED' || d.status === 'HEALED' || (d.status === 'NO_STATEMENT' && !paymentDays.has(d.billDate));
    if (!ok) v.push(`bill ${d.billDate}: ${d.status} after ${d.runs} run(s), expected MATCHED or HEALED`);
    for (const x of d.discrepancies) v.push(`bill ${d.billDate}: unexplained ${x.kind} ${x.outTradeNo ?? ''}${x.outRefundNo ? ` refund ${x.outRefundNo}` : ''}: ${x.detail}`);
  }
  return v;
}
