/**
 * The daily timer's decision, a function of (deps, now): from 10:30 China time, reconcile
 * yesterday until it is done. Each tick (every 10 minutes) tries again while WeChat Pay answers
 * STATEMENT_CREATING (NOT_READY), resumes a run that stopped at its time budget (RUNNING), and
 * retries a FAILED download; a final status (MATCHED, HEALED, DISCREPANCIES, NO_STATEMENT) ends it.
 */
import { addDays, chinaDateOf, chinaMinutesOf, TIMER_FIRST_RUN_MINUTES } from './days';
import type { BillDeps } from './deps';
import { FINAL_STATUSES, type BillReconciliation } from './model';
import { reconcileBillDay } from './run';
import { loadDay } from './store';

/** A FAILED day is retried unless the failure is one another download cannot fix. */
const PERMANENT_FAILURES = new Set(['BILL_LAYOUT_UNKNOWN', 'BILL_MALFORMED', 'SIGN_ERROR', 'NO_AUTH', 'PARAM_ERROR']);

export type TimerOutcome = { ran: true; day: BillReconciliation } | { ran: false; billDate: string; reason: string };

export async function billTimerTick(deps: BillDeps): Promise<TimerOutcome> {
  const now = deps.now();
  const billDate = addDays(chinaDateOf(now), -1);
  if (chinaMinutesOf(now) < TIMER_FIRST_RUN_MINUTES) return { ran: false, billDate, reason: 'before 10:30 China time' };
  const day = await loadDay(deps, billDate);
  if (day && FINAL_STATUSES.has(day.status)) return { ran: false, billDate, reason: `already ${day.status}` };
  if (day?.status === 'FAILED' && PERMANENT_FAILURES.has(day.error?.code ?? '')) return { ran: false, billDate, reason: `FAILED with ${day.error?.code}: needs a person` };
  return { ran: true, day: await reconcileBillDay(deps, billDate, { requestedBy: 'timer' }) };
}
