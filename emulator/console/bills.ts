/**
 * The console's bill reconciliation: the days in bill_reconciliations as the staff function shows
 * them (read through the admin wire, like every other view), and the Run action — merchant staff
 * asking reconcileBill to reconcile one date now (callAsStaff). The console checks the date's shape
 * (400, nothing sent); whether the date may be reconciled (future, older than 3 months) is the
 * function's to say, and its answer comes back unchanged.
 */
import { addDays, BILL_WINDOW_DAYS, chinaDateOf } from '../../lib/bills/days';
import { toBillView, type BillReconciliation } from '../../lib/bills/model';
import { COLLECTIONS } from '../../lib/store/collections';
import { ConsoleError } from './errors';
import { callAsStaff, staffOpenidOf } from './staff';
import type { Upstream, UpstreamReply } from './upstream';

/** About 3 months of days, newest first. */
export const LISTED_DAYS = BILL_WINDOW_DAYS + 1;

/** The dates a run may ask for (China time), for the date picker: yesterday by default. */
export function billWindow(now: number): { from: string; to: string; suggested: string } {
  const today = chinaDateOf(now);
  return { from: addDays(today, -BILL_WINDOW_DAYS), to: today, suggested: addDays(today, -1) };
}

export function parseBillDate(body: Record<string, unknown>): string {
  const { billDate } = body;
  const bad = () => new ConsoleError(400, 'INVALID_INPUT', 'billDate must be a date YYYY-MM-DD (China time), e.g. yesterday');
  if (typeof billDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(billDate)) throw bad();
  // 2026-02-30 is not a day: Date.parse rolls it over, so compare the round trip.
  const ms = Date.parse(`${billDate}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== billDate) throw bad();
  return billDate;
}

export async function listBills(upstream: Upstream, now: number): Promise<UpstreamReply> {
  const docs = await upstream.admin.find(COLLECTIONS.billReconciliations, {}, { limit: LISTED_DAYS, order: [{ field: '_id', direction: 'desc' }] });
  return { status: 200, body: { days: docs.map((d) => toBillView(d as unknown as BillReconciliation)), window: billWindow(now) } };
}

export async function runBillAction(upstream: Upstream, staffOpenid: unknown, body: Record<string, unknown>): Promise<UpstreamReply> {
  const billDate = parseBillDate(body);
  return callAsStaff(upstream, 'reconcileBill', { action: 'run', billDate }, staffOpenidOf(staffOpenid, 'reconcile bills'));
}
