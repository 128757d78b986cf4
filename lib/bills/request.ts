/**
 * reconcileBill for staff (BILL_ADMIN_OPENIDS): run any day of the last 3 months now, read one
 * day's result, or list the recent days. Input checked first; the caller comes from the platform.
 */
import { APP_ERROR_CODES, AppError, invalidInput } from '../errors';
import { billDateProblem } from './days';
import type { BillDeps } from './deps';
import { toBillView, type BillReconciliationView } from './model';
import { reconcileBillDay } from './run';
import { listDays, loadDay } from './store';

export type BillRequest = { action: 'run' | 'get'; billDate: string } | { action: 'list' };

export function parseBillRequest(input: unknown, now: number): BillRequest {
  const raw = (input ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidInput('Send {action: "run" | "get", billDate: "YYYY-MM-DD"} or {action: "list"}.');
  const action = raw.action ?? 'run';
  if (action === 'list') return { action };
  if (action !== 'run' && action !== 'get') throw invalidInput('action must be "run", "get" or "list".');
  const problem = billDateProblem(raw.billDate, now);
  if (problem) throw invalidInput(problem);
  return { action, billDate: raw.billDate as string };
}

export async function requestBillReconciliation(deps: BillDeps, openid: string, input: unknown): Promise<{ day?: BillReconciliationView | null; days?: BillReconciliationView[] }> {
  if (!deps.billSettings.adminOpenids.has(openid)) {
    throw new AppError(APP_ERROR_CODES.FORBIDDEN, `Bill reconciliation is for merchant staff only. Ask an administrator to add your openid (${openid}) to BILL_ADMIN_OPENIDS.`);
  }
  const request = parseBillRequest(input, deps.now());
  if (request.action === 'list') return { days: (await listDays(deps)).map(toBillView) };
  if (request.action === 'get') {
    const day = await loadDay(deps, request.billDate);
    return { day: day ? toBillView(day) : null };
  }
  return { day: toBillView(await reconcileBillDay(deps, request.billDate, { requestedBy: openid })) };
}
