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
  return { cursor: 0, hash, matched: 0, payments: 0, refunds: 0, healOrders: [], healRefunds: [], discrepancyCount: 0, discrepancies: [] };
}

export async function scanBill(deps: BillDeps, bytes: AsyncIterable<Buffer>, start: BillProgress, deadline: number): Promise<ScanResult> {
  const progress: BillProgress = { ...start, healOrders: [...start.healOrders], healRefunds: [...start.healRefunds], discrepancies: [...start.discrepancies] };
  const result: ScanResult = { complete: false, progress, rowTotals: { count: 0, grossFen: 0, refundFen: 0, feeMilliFen: 0 }, seenPayments: new Set(), seenRefunds: new Set() };
  let batch: TradeBillRow[] = [];
  let batchEnd = progress.cursor;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const outcome = classify(batch, await lookup(deps.db, batch));
    progress.matched += outcome.matched;
    progress.healOrders.push(...outcome.healOrders);
    progress.healRefunds.push(...outcome.healRefunds);
    progress.discrepancyCount += outcome.discrepancies.length;
    for (const d of outcome.discrepancies) if (progress.discrepancies.length < MAX_LISTED) progress.discrepancies.push(d);
    progress.cursor = batchEnd;
    batch = [];
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
    if (isRefundRow(row)) result.seenRefunds.add(row.outRefundNo);
    else result.seenPayments.add(row.outTradeNo);
    if (record.index < progress.cursor) continue; // matched by an earlier run of this same file
    if (isRefundRow(row)) progress.refunds += 1;
    else progress.payments += 1;
    batch.push(row);
    batchEnd = record.index + 1;
    if (batch.length >= deps.billSettings.batchSize) {
      await flush();
      // Leaving the loop ends the download (the generator's cleanup closes the connection).
      if (deps.now() >= deadline) return result;
    }
  }
  await flush();
  result.complete = true;
  return result;
}
