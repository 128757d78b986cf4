/**
 * A day's bill reconciliation as text, for the CLI (`npm run bill`) and `npm run demo`. The words
 * are in the CLI's message tables (scripts/i18n); statuses and discrepancy kinds stay as they are.
 */
import type { BillReconciliationView, Discrepancy } from '../../lib/bills/model';
import { discrepancyValues } from '../../lib/contract/discrepancy';
import { formatMilliYuan, formatYuan } from '../../lib/contract/money';
import { CLI_TABLES, t, type CliKey } from '../i18n';

// Integer fen (milli-fen for fees and the bill's net) as yuan by string arithmetic, never through a float.
const yuan = (fen: number | undefined): string => (fen === undefined ? '–' : `¥${formatYuan(fen)}`);
const yuanMilli = (milliFen: number | undefined): string => (milliFen === undefined ? '–' : `¥${formatMilliYuan(milliFen)}`);

const STATUSES = ['MATCHED', 'HEALED', 'DISCREPANCIES', 'NOT_READY', 'NO_STATEMENT', 'FAILED', 'RUNNING'] as const;

/** What a day's status means, in the CLI's language ('' for a status this CLI does not know). */
export function billStatusText(status: string): string {
  return (STATUSES as readonly string[]).includes(status) ? t(`bill.status.${status}` as CliKey) : '';
}

/** A discrepancy's sentence in the CLI's language from its kind and both sides; lib's English `detail` (kept for logs) for a kind this CLI does not know. */
export function discrepancyText(x: Discrepancy): string {
  const key = `bill.detail.${x.kind}`;
  return key in CLI_TABLES['zh-CN'] ? t(key as CliKey, discrepancyValues(x)) : x.detail;
}

export function formatBillDay(d: BillReconciliationView): string {
  const lines = [t('bill.day', { billDate: d.billDate, status: d.status, text: billStatusText(d.status) })];
  if (d.bill) {
    lines.push(t('bill.wechat', { count: d.bill.count, gross: yuan(d.bill.grossFen), refunds: yuan(d.bill.refundFen), fees: yuanMilli(d.bill.feeMilliFen), net: yuanMilli(d.bill.netMilliFen) }));
  }
  if (d.ours) lines.push(t('bill.ours', { paid: d.ours.paidCount, gross: yuan(d.ours.grossFen), refundCount: d.ours.refundCount, refunds: yuan(d.ours.refundFen), net: yuan(d.ours.netFen) }));
  if (d.rows) lines.push(t('bill.rows', { matched: d.matched, healed: d.healedCount, discrepancies: d.discrepancyCount, shifted: d.shifted, payments: d.rows.payments, refunds: d.rows.refunds }));
  for (const h of d.healed) {
    const refund = h.outRefundNo ? t('bill.healedRefund', { outRefundNo: h.outRefundNo }) : '';
    lines.push(t('bill.healed', { refund, outTradeNo: h.outTradeNo, from: h.from ?? '', to: h.to ?? '', amount: yuan(h.amountFen) }));
  }
  for (const x of d.discrepancies) {
    const sides = x.bill || x.ours
      ? t('bill.sides', { billAmount: yuan(x.bill?.amountFen), billStatus: x.bill?.status ?? '', oursAmount: yuan(x.ours?.amountFen), oursStatus: x.ours?.status ?? '' })
      : '';
    lines.push(`  ${x.kind.padEnd(22)} ${x.outRefundNo ?? x.outTradeNo ?? ''} ${discrepancyText(x)}${sides}`);
  }
  if (d.discrepancyCount > d.discrepancies.length) lines.push(t('bill.more', { count: d.discrepancyCount - d.discrepancies.length }));
  if (d.error) lines.push(t('bill.error', { code: d.error.code, message: d.error.message }));
  if (d.billHash) lines.push(t('bill.hash', { hash: d.billHash, runs: d.runs, by: d.requestedBy ?? '?' }));
  return lines.join('\n');
}
