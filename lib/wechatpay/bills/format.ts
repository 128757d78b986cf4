/**
 * The inverse of the parser: typed rows → the bill's bytes, in the documented layout. The simulator
 * serves bills written by this, and the property tests round-trip through it. A value that the
 * format cannot carry (",`", a newline) is refused: WeChat's own format has no escape for it.
 */
import { fenToYuan, formatScaled, milliFenToYuan } from './amount';
import { summaryColumnsOf, columnsOf, type BillLayout, type Column } from './layouts';
import type { FundFlowRow, FundFlowSummary, TradeBillRow, TradeBillSummary } from './types';

export interface FormatOptions {
  bom?: boolean;
  crlf?: boolean;
}

function formatValue(col: Column, value: unknown): string {
  switch (col.kind) {
    case 'fen':
      return fenToYuan(Number(value ?? 0));
    case 'fee':
      return milliFenToYuan(Number(value ?? 0));
    case 'count':
      return formatScaled(Number(value ?? 0), 0).replace(/\.$/, '');
    default: {
      const text = String(value ?? '');
      if (text.includes(',`') || /[\r\n]/.test(text)) {
        throw new RangeError(`${col.name} "${text.slice(0, 40)}" cannot be written in a bill (it contains ",\`" or a newline)`);
      }
      return text;
    }
  }
}

const line = (columns: readonly Column[], record: object): string =>
  columns.map((col) => `\`${formatValue(col, (record as Record<string, unknown>)[col.key])}`).join(',');

/** Writes a whole bill lazily, line by line (a simulator day of 100k rows never sits in one string). */
export function* formatBillLines(layout: BillLayout, rows: Iterable<TradeBillRow | FundFlowRow>, summary: TradeBillSummary | FundFlowSummary, options: FormatOptions = {}): Generator<string> {
  const eol = options.crlf ? '\r\n' : '\n';
  const columns = columnsOf(layout);
  yield `${options.bom ? '\ufeff' : ''}${columns.map((col) => col.name).join(',')}${eol}`;
  for (const row of rows) yield line(columns, row) + eol;
  const summaryColumns = summaryColumnsOf(layout);
  yield summaryColumns.map((col) => col.name).join(',') + eol;
  yield line(summaryColumns, summary) + eol;
}

export function formatBill(layout: BillLayout, rows: Iterable<TradeBillRow | FundFlowRow>, summary: TradeBillSummary | FundFlowSummary, options: FormatOptions = {}): string {
  return [...formatBillLines(layout, rows, summary, options)].join('');
}
