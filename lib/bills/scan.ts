/**
 * The streaming pass over one day's bill: parse as the bytes arrive, match rows in batches (two
 * database reads per batch), and stop at the time budget with a cursor. Nothing is written here:
 * heals and the result wait until the iteration has completed, i.e. the SHA-1 was checked.
 * A resumed pass re-reads the rows before the cursor (cheap: parsing only) to rebuild the sets of
 * what the bill contains, which the reverse check needs.
 */
import type { TradeBillRow, TradeBillSummary } from '../wechatpay';
import { parseBill } from '../wechatpay';
import type { BillDeps } from './deps';
import { classify, isRefundRow, lookup } from './match';
import { MAX_LISTED, type BillProgress } from './model';
import { dayWindow } from './days';

export interface ScanResult {
  /** false: the budget ran out; `progress.cursor` says where to resume. */
  complete: boolean;
  progress: BillProgress;
  summary?: TradeBillSummary;
  /** Sums over all rows (for the summary's self-check). */
  rowTotals: { count: number; grossFen: number; refundFen: number; feeMilliFen: number };
  seenPayments: Set<string>;
  seenRefunds: Set<string>;
}

export function freshProgress(hash: string): BillProgress {
  return {
    cursor: 0, hash, matched: 0, payments: 0, refunds: 0, healOrders: [], healRefunds: [], discrepancyCount: 0, discrepancies: [],
    ours: { paidCount: 0, grossFen: 0, refundCount: 0, refundFen: 0, netFen: 0 },
  };
}

export async function scanBill(deps: BillDeps, date: string, bytes: AsyncIterable<Buffer>, start: BillProgress, deadline: number): Promise<ScanResult> {
  const day = dayWindow(date);
  const progress: BillProgress = { ...start, ours: { ...freshProgress('').ours, ...start.ours }, healOrders: [...start.healOrders], healRefunds: [...start.healRefunds], discrepancies: [...start.discrepancies] };
  const result: ScanResult = { complete: false, progress, rowTotals: { count: 0, grossFen: 0, refundFen: 0, feeMilliFen: 0 }, seenPayments: new Set(), seenRefunds: new Set() };
  let batch: TradeBillRow[] = [];
  let batchEnd = progress.cursor;
  // Up to `lookupConcurrency` batches are read at once while parsing goes on; outcomes are applied
  // strictly in file order, so the cursor only ever covers rows whose outcome is in `progress`.
  const inflight: Array<{ rows: TradeBillRow[]; end: number; found: ReturnType<typeof lookup> }> = [];
  const settleOldest = async (): Promise<void> => {
    const b = inflight.shift()!;
    const outcome = classify(b.rows, await b.found, day);
    for (const k of ['paidCount', 'grossFen', 'refundCount', 'refundFen'] as const) progress.ours[k] += outcome.ours[k];
    progress.matched += outcome.matched;
    progress.healOrders.push(...outcome.healOrders);
    progress.healRefunds.push(...outcome.healRefunds);
    progress.discrepancyCount += outcome.discrepancies.length;
    for (const d of outcome.discrepancies) if (progress.discrepancies.length < MAX_LISTED) progress.discrepancies.push(d);
    progress.cursor = b.end;
  };
  const settleAll = async (): Promise<void> => {
    while (inflight.length) await settleOldest();
  };
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const found = lookup(deps.db, batch);
    found.catch(() => undefined); // surfaced when settled; never an unhandled rejection meanwhile
    inflight.push({ rows: batch, end: batchEnd, found });
    batch = [];
    while (inflight.length >= deps.billSettings.lookupConcurrency) await settleOldest();
  };
  for await (const record of parseBill(bytes, { expect: ['ALL'] })) {
    if (record.type === 'tradeSummary') result.summary = record.summary;
    if (record.type !== 'trade') continue;
    const row = record.row;
    const t = result.rowTotals;
    t.count += 1;
    t.grossFen += row.settlementFen;
    t.refundFen += row.refundFen;
    t.feeMilliFen += row.feeMilliFen;
    // A record listed twice is matched once (the sets and our-side counts assume distinct records).
    const seen = isRefundRow(row) ? result.seenRefunds : result.seenPayments;
    const key = isRefundRow(row) ? row.outRefundNo : row.outTradeNo;
    if (seen.has(key)) continue;
    seen.add(key);
    if (record.index < progress.cursor) continue; // matched by an earlier run of this same file
    if (isRefundRow(row)) progress.refunds += 1;
    else progress.payments += 1;
    batch.push(row);
    batchEnd = record.index + 1;
    if (batch.length >= deps.billSettings.batchSize) {
      await flush();
      if (deps.now() >= deadline) {
        // Leaving the loop ends the download (the generator's cleanup closes the connection).
        await settleAll();
        return result;
      }
    }
  }
  await flush();
  await settleAll();
  result.complete = true;
  return result;
}
