/**
 * The day's document in bill_reconciliations: read, a lease so two runs of one day (the timer and
 * a staff member's button) never work at once, and the write of a run's result (replacing the
 * document: it is the latest state of the day, and always written whole).
 */
import { COLLECTIONS } from '../store/collections';
import { isDuplicateKeyError, type Doc } from '../store/db';
import type { BillDeps } from './deps';
import type { BillReconciliation } from './model';

/** A run's lease outlives its time budget by this much (a crashed run frees the day after it). */
const LEASE_GRACE_MS = 60_000;

const bills = (deps: BillDeps) => deps.db.collection(COLLECTIONS.billReconciliations);

export async function loadDay(deps: BillDeps, date: string): Promise<BillReconciliation | null> {
  const { data } = await bills(deps).where({ _id: date }).limit(1).get();
  return (data[0] as unknown as BillReconciliation | undefined) ?? null;
}

export function emptyDay(date: string, now: number): BillReconciliation {
  return { _id: date, billDate: date, status: 'RUNNING', matched: 0, healedCount: 0, healed: [], discrepancyCount: 0, discrepancies: [], shifted: 0, runs: 0, updatedAt: new Date(now), leaseUntil: new Date(0) };
}

/** Takes the day for one run; null when another run holds it (its result will be there). */
export async function claimDay(deps: BillDeps, date: string): Promise<BillReconciliation | null> {
  const now = deps.now();
  const leaseUntil = new Date(now + deps.billSettings.timeBudgetMs + LEASE_GRACE_MS);
  let prior = await loadDay(deps, date);
  if (!prior) {
    try {
      const { _id, ...fresh } = emptyDay(date, now);
      await bills(deps).add({ data: { _id, ...fresh, leaseUntil } as unknown as Doc });
      return { ...emptyDay(date, now), leaseUntil };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      prior = await loadDay(deps, date);
      if (!prior) throw err;
    }
  }
  const { stats } = await bills(deps)
    .where({ _id: date, leaseUntil: deps.db.command.lt(new Date(now)) })
    .update({ data: { leaseUntil } });
  return (stats.updated ?? 0) > 0 ? { ...prior, leaseUntil } : null;
}

/** Writes the day's state and frees the lease. */
export async function saveDay(deps: BillDeps, doc: BillReconciliation): Promise<BillReconciliation> {
  const { _id, ...data } = { ...doc, leaseUntil: new Date(0), updatedAt: new Date(deps.now()) };
  await bills(deps).doc(_id).set({ data: data as unknown as Doc });
  return { _id, ...data };
}

/** Stores a stopped run's cursor and frees the day: the next tick (or button) resumes from it. */
export async function saveProgress(deps: BillDeps, doc: BillReconciliation): Promise<BillReconciliation> {
  const { _id, ...data } = { ...doc, status: 'RUNNING' as const, leaseUntil: new Date(0), updatedAt: new Date(deps.now()) };
  await bills(deps).doc(_id).set({ data: data as unknown as Doc });
  return { _id, ...data };
}

export async function listDays(deps: BillDeps, limit = 31): Promise<BillReconciliation[]> {
  const { data } = await bills(deps).orderBy('_id', 'desc').limit(limit).get();
  return data as unknown as BillReconciliation[];
}
