/**
 * One day's reconciliation, a function of (deps, date) that the timer, the staff function, the
 * CLI and the tests all call: apply for the ALL bill → stream it through the matcher (scan.ts) →
 * only once the SHA-1 is verified: heal through verified queries, check our side against the
 * bill (ours.ts), write the day's result, alert on what is left. Running it again changes nothing:
 * healed records are matched the second time, events have deterministic ids.
 */
import { isWxPayError, NO_STATEMENT_EXIST, STATEMENT_CREATING, type BillApply } from '../wechatpay';
import { recordEvent } from '../store/events';
import type { BillDeps } from './deps';
import { healOrder, healRefund } from './heal';
import { MAX_LISTED, type BillReconciliation, type BillTotals, type Discrepancy, type HealedItem } from './model';
import { explainMissingOrder, explainMissingRefund, readOurSide } from './ours';
import { freshProgress, scanBill, type ScanResult } from './scan';
import { claimDay, loadDay, saveDay, saveProgress } from './store';
import { chinaDateOf } from './days';

export interface RunOptions {
  /** 'timer' or the staff openid. */
  requestedBy: string;
}

export async function reconcileBillDay(deps: BillDeps, date: string, options: RunOptions): Promise<BillReconciliation> {
  const started = deps.now();
  const day = await claimDay(deps, date);
  if (!day) return (await loadDay(deps, date))!; // another run has the day; its result will be there
  day.runs += 1;
  day.requestedBy = options.requestedBy;
  day.startedAt = new Date(started);
  let apply: BillApply | undefined;
  try {
    apply = await deps.bills.tradeBill({ billDate: date, billType: 'ALL', tarType: 'GZIP' });
  } catch (err) {
    if (isWxPayError(err, STATEMENT_CREATING)) return finish(deps, { ...day, status: 'NOT_READY', progress: undefined });
    if (!isWxPayError(err, NO_STATEMENT_EXIST)) return failed(deps, day, err);
  }
  const resume = day.status === 'RUNNING' && apply && day.progress?.hash === apply.hash_value ? day.progress : undefined;
  let scan: ScanResult;
  try {
    scan = apply ? await scanBill(deps, date, deps.bills.downloadBill(apply), resume ?? freshProgress(apply.hash_value), started + deps.billSettings.timeBudgetMs) : emptyScan();
  } catch (err) {
    return failed(deps, day, err); // hash mismatch, truncated, unknown layout: nothing staged is applied
  }
  if (!scan.complete) {
    deps.log('bill.summary', { billDate: date, status: 'RUNNING', cursor: scan.progress.cursor });
    return saveProgress(deps, { ...day, billHash: apply?.hash_value, progress: scan.progress });
  }
  try {
    return await conclude(deps, day, apply, scan);
  } catch (err) {
    return failed(deps, day, err); // WeChat Pay or the database failed mid-heal: what was healed stays, the next run finishes
  }
}

function emptyScan(): ScanResult {
  return { complete: true, progress: freshProgress(''), rowTotals: { count: 0, grossFen: 0, refundFen: 0, feeMilliFen: 0 }, seenPayments: new Set(), seenRefunds: new Set() };
}

/** The bill is verified: heal, look at our side, and write the day's result. */
async function conclude(deps: BillDeps, day: BillReconciliation, apply: BillApply | undefined, scan: ScanResult): Promise<BillReconciliation> {
  const p = scan.progress;
  const discrepancies: Discrepancy[] = [...p.discrepancies];
  let discrepancyCount = p.discrepancyCount;
  const flag = (d: Discrepancy): void => {
    discrepancyCount += 1;
    if (discrepancies.length < MAX_LISTED) discrepancies.push(d);
  };
  let matched = p.matched;
  const healed: HealedItem[] = [];
  const heals = [...p.healOrders.map((no) => () => healOrder(deps, no)), ...p.healRefunds.map((no) => () => healRefund(deps, no))];
  // Independent records, each behind its own conditional update: several at once. A failure stops
  // the run (FAILED below, retried by the next tick: whatever was healed stays healed and matches).
  const outcomes = await inParallel(heals, deps.billSettings.lookupConcurrency);
  for (const outcome of outcomes) {
    if (outcome.kind === 'healed') {
      healed.push(outcome.item);
      deps.log('bill.healed', { billDate: day.billDate, outTradeNo: outcome.item.outTradeNo, outRefundNo: outcome.item.outRefundNo, to: outcome.item.to });
    } else if (outcome.kind === 'matched') matched += 1;
    else flag(outcome.discrepancy);
  }
  const healedOnDay = healed.filter((h) => !h.outRefundNo && h.successTime && chinaDateOf(Date.parse(h.successTime)) === day.billDate);
  const expected = { ...p.ours, paidCount: p.ours.paidCount + healedOnDay.length, grossFen: p.ours.grossFen + healedOnDay.reduce((s, h) => s + h.amountFen, 0) };
  const ours = await readOurSide(deps, day.billDate, scan, expected);
  let shifted = 0;
  const explains = [...ours.missingOrders.map((o) => () => explainMissingOrder(deps, day.billDate, o)), ...ours.missingRefunds.map((r) => () => explainMissingRefund(deps, day.billDate, r))];
  for (const outcome of await inParallel(explains, deps.billSettings.lookupConcurrency)) {
    if (outcome.kind === 'shifted') shifted += 1;
    else flag(outcome.discrepancy);
  }
  const bill = scan.summary ? billTotals(scan.summary) : undefined;
  const t = scan.rowTotals;
  if (bill && (bill.count !== t.count || bill.grossFen !== t.grossFen || bill.refundFen !== t.refundFen || bill.feeMilliFen !== t.feeMilliFen)) {
    flag({ kind: 'SUMMARY_MISMATCH', detail: `the bill's summary (${bill.count} rows, ${bill.grossFen}/${bill.refundFen} fen) disagrees with its rows (${t.count} rows, ${t.grossFen}/${t.refundFen} fen)` });
  }
  // Healed items from earlier runs stay: a second run heals nothing and must leave the day as it was.
  const allHealed = mergeHealed(day.healed, healed);
  const healedCount = day.healedCount + healed.length;
  const status = discrepancyCount > 0 ? 'DISCREPANCIES' : healedCount > 0 ? 'HEALED' : apply ? 'MATCHED' : 'NO_STATEMENT';
  await alert(deps, day.billDate, discrepancies, discrepancyCount);
  return finish(deps, {
    ...day, status, billHash: apply?.hash_value, bill, ours: ours.totals, rows: { payments: p.payments, refunds: p.refunds },
    // Rows in agreement that never needed healing: a row healed by an earlier run is counted there, not here.
    matched: Math.max(0, matched - day.healedCount), healed: allHealed, healedCount, discrepancies, discrepancyCount, shifted, error: undefined, progress: undefined,
  });
}

/** Runs the tasks `concurrency` at a time; results in task order. */
async function inParallel<T>(tasks: Array<() => Promise<T>>, concurrency: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < tasks.length; i = next++) results[i] = await tasks[i]();
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return results;
}

function billTotals(s: NonNullable<ScanResult['summary']>): BillTotals {
  const refundFen = s.refundFen ?? 0;
  return { count: s.count, grossFen: s.settlementFen, refundFen, feeMilliFen: s.feeMilliFen, netMilliFen: (s.settlementFen - refundFen) * 1000 - s.feeMilliFen };
}

function mergeHealed(before: HealedItem[], now: HealedItem[]): HealedItem[] {
  const key = (h: HealedItem): string => `${h.outTradeNo}:${h.outRefundNo ?? ''}`;
  const seen = new Set(before.map(key));
  return [...before, ...now.filter((h) => !seen.has(key(h)))].slice(0, MAX_LISTED);
}

/** Each listed discrepancy is an anomaly record (deterministic id: a second run adds none) and a loud log line. */
async function alert(deps: BillDeps, date: string, listed: Discrepancy[], count: number): Promise<void> {
  for (const d of listed) {
    deps.log('bill.discrepancy', { billDate: date, kind: d.kind, outTradeNo: d.outTradeNo, outRefundNo: d.outRefundNo, billFen: d.bill?.amountFen, ourFen: d.ours?.amountFen });
    await recordEvent(deps.db, {
      _id: `anomaly:bill:${date}:${d.kind}:${d.outRefundNo ?? d.outTradeNo ?? 'summary'}`, kind: 'anomaly', source: 'bill',
      outTradeNo: d.outTradeNo, amountTotal: d.bill?.amountFen, detail: `bill ${date}: ${d.kind}: ${d.detail}`, at: new Date(deps.now()),
    });
  }
  if (count > listed.length) deps.log('bill.discrepancy', { billDate: date, kind: 'MORE', count: count - listed.length });
}

async function failed(deps: BillDeps, day: BillReconciliation, err: unknown): Promise<BillReconciliation> {
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? 'UNKNOWN';
  deps.log('bill.failed', { billDate: day.billDate, code });
  // The message is ours or WeChat's error text (never a key); nothing staged is kept.
  return finish(deps, { ...day, status: 'FAILED', error: { code, message: String(e?.message ?? err).slice(0, 300) }, progress: undefined });
}

async function finish(deps: BillDeps, doc: BillReconciliation): Promise<BillReconciliation> {
  const out = { ...doc, finishedAt: new Date(deps.now()) };
  if (out.progress === undefined) delete out.progress;
  if (out.error === undefined) delete out.error;
  deps.log('bill.summary', { billDate: doc.billDate, status: doc.status, matched: doc.matched, healed: doc.healedCount, discrepancies: doc.discrepancyCount });
  return saveDay(deps, out);
}
