/**
 * A day's bill reconciliation as text, for the CLI (`npm run bill`) and `npm run demo`. All the
 * CLI's words about bills are here (one place per surface).
 */
import type { BillReconciliationView } from '../../lib/bills/model';

const yuan = (fen: number | undefined): string => (fen === undefined ? '–' : `¥${(fen / 100).toFixed(2)}`);
const yuanMilli = (milliFen: number | undefined): string => (milliFen === undefined ? '–' : `¥${(milliFen / 100_000).toFixed(5)}`);

export const BILL_STATUS_TEXT: Record<string, string> = {
  MATCHED: 'every line of the bill matches our records',
  HEALED: 'matched after healing payments/refunds we had missed (verified queries)',
  DISCREPANCIES: 'discrepancies need a person (listed below, also logged as [ALERT])',
  NOT_READY: 'WeChat Pay is still generating the bill (ready after 10:00 China time the next day); the timer retries',
  NO_STATEMENT: 'no trades that day, and none on our side either',
  FAILED: 'the bill could not be downloaded or verified; nothing was changed (see error)',
  RUNNING: 'stopped at its time budget; the next run resumes from the cursor',
};

export function formatBillDay(d: BillReconciliationView): string {
  const lines = [`Bill ${d.billDate}: ${d.status} — ${BILL_STATUS_TEXT[d.status] ?? ''}`];
  if (d.bill) {
    lines.push(`  WeChat Pay: ${d.bill.count} rows, gross ${yuan(d.bill.grossFen)}, refunds ${yuan(d.bill.refundFen)}, fees ${yuanMilli(d.bill.feeMilliFen)}, net ${yuanMilli(d.bill.netMilliFen)}`);
  }
  if (d.ours) lines.push(`  ours:       ${d.ours.paidCount} paid, gross ${yuan(d.ours.grossFen)}, ${d.ours.refundCount} refunds ${yuan(d.ours.refundFen)}, net ${yuan(d.ours.netFen)}`);
  if (d.rows) lines.push(`  matched ${d.matched}, healed ${d.healedCount}, discrepancies ${d.discrepancyCount}, dated on a neighbouring day ${d.shifted} (of ${d.rows.payments} payment + ${d.rows.refunds} refund rows)`);
  for (const h of d.healed) lines.push(`  healed   ${h.outRefundNo ? `refund ${h.outRefundNo} of ` : ''}${h.outTradeNo} ${h.from} → ${h.to} (${yuan(h.amountFen)})`);
  for (const x of d.discrepancies) {
    const sides = x.bill || x.ours ? ` [bill ${yuan(x.bill?.amountFen)} ${x.bill?.status ?? ''} | ours ${yuan(x.ours?.amountFen)} ${x.ours?.status ?? ''}]` : '';
    lines.push(`  ${x.kind.padEnd(22)} ${x.outRefundNo ?? x.outTradeNo ?? ''} ${x.detail}${sides}`);
  }
  if (d.discrepancyCount > d.discrepancies.length) lines.push(`  … and ${d.discrepancyCount - d.discrepancies.length} more`);
  if (d.error) lines.push(`  error ${d.error.code}: ${d.error.message}`);
  if (d.billHash) lines.push(`  SHA-1 ${d.billHash}, run ${d.runs} by ${d.requestedBy ?? '?'}`);
  return lines.join('\n');
}
