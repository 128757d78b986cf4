/**
 * The streaming bill parser: bytes (decompressed) in, typed records out, one line in memory at a
 * time. Order enforced: header → data rows → summary header → one summary line → nothing but
 * blank lines. Anything else is BILL_MALFORMED naming the line; an unknown header is
 * BILL_LAYOUT_UNKNOWN (a legacy 24-column bill, another product's file) — refused, never guessed.
 */
import { feeToMilliFen, parseCount, yuanToFen } from './amount';
import { billError } from './errors';
import { columnsOf, layoutOfHeader, SUMMARY_COLUMNS, summaryColumnsOf, type BillLayout, type Column } from './layouts';
import { splitLines, splitValues, type ByteSource } from './lines';
import type { BillRecord, FundFlowRow, FundFlowSummary, TradeBillRow, TradeBillSummary } from './types';

const TRADE_DEFAULTS: Omit<TradeBillRow, never> = {
  tradeTime: '', appid: '', mchid: '', subMchid: '', deviceInfo: '', transactionId: '', outTradeNo: '', openid: '', tradeType: '',
  tradeState: '', bankType: '', currency: '', settlementFen: 0, couponFen: 0, refundApplyTime: '', refundSuccessTime: '', refundId: '',
  outRefundNo: '', refundFen: 0, rechargeCouponRefundFen: 0, refundType: '', refundStatus: '', body: '', attach: '', feeMilliFen: 0,
  rate: '', totalFen: 0, requestedRefundFen: 0, rateNote: '',
};

function readValue(col: Column, text: string, where: string): string | number {
  const field = `${where} ${col.name}`;
  switch (col.kind) {
    case 'fen':
      return yuanToFen(text, field);
    case 'fee':
      return feeToMilliFen(text, field);
    case 'count':
      return parseCount(text, field);
    default:
      return text;
  }
}

function readRecord(columns: readonly Column[], values: string[], where: string): Record<string, string | number> {
  if (values.length !== columns.length) {
    throw billError('BILL_MALFORMED', `${where} has ${values.length} values, the layout has ${columns.length} columns (a value containing ",\`"?)`, { line: where });
  }
  const out: Record<string, string | number> = {};
  columns.forEach((col, i) => (out[col.key] = readValue(col, values[i], where)));
  return out;
}

function readSummaryHeader(line: string, layout: BillLayout, where: string): Column[] {
  const names = line.split(',');
  const columns = names.map((name) => SUMMARY_COLUMNS.get(name));
  const expectedFirst = summaryColumnsOf(layout)[0].name;
  if (names[0] !== expectedFirst || columns.some((col) => col === undefined)) {
    throw billError('BILL_MALFORMED', `${where}: expected a data row or the summary header starting "${expectedFirst}", got "${line.slice(0, 60)}"`);
  }
  return columns as Column[];
}

export interface ParseOptions {
  /** Accept only these layouts (e.g. the bill_type asked for); default any known one. */
  expect?: Array<BillLayout['layout']>;
}

export async function* parseBill(source: ByteSource, options: ParseOptions = {}): AsyncGenerator<BillRecord> {
  let layout: BillLayout | undefined;
  let columns: readonly Column[] = [];
  let summaryColumns: Column[] | undefined;
  let summaryDone = false;
  let rows = 0;
  let lineNo = 0;
  for await (const line of splitLines(source)) {
    lineNo += 1;
    const where = `line ${lineNo}`;
    if (!layout) {
      layout = layoutOfHeader(line);
      if (!layout) {
        const n = line.split(',').length;
        throw billError('BILL_LAYOUT_UNKNOWN', `the bill's header (${n} columns, starting "${line.slice(0, 40)}") is no layout we know (trade ALL/SUCCESS/REFUND, fund flow); refusing to guess`, { columns: n });
      }
      if (options.expect && !options.expect.includes(layout.layout)) {
        throw billError('BILL_LAYOUT_UNKNOWN', `the bill is a ${layout.layout} layout, expected ${options.expect.join(' or ')}`);
      }
      columns = columnsOf(layout);
      yield layout.kind === 'trade' ? { type: 'layout', kind: 'trade', layout: layout.layout } : { type: 'layout', kind: 'fundflow', layout: 'FUNDFLOW' };
      continue;
    }
    if (line === '') continue;
    if (summaryDone) throw billError('BILL_MALFORMED', `${where}: content after the summary line`);
    const values = splitValues(line);
    if (summaryColumns) {
      if (!values) throw billError('BILL_MALFORMED', `${where}: the summary values must start with a backtick`);
      const summary = readRecord(summaryColumns, values, where);
      summaryDone = true;
      yield layout.kind === 'trade'
        ? { type: 'tradeSummary', summary: summary as unknown as TradeBillSummary, rows }
        : { type: 'fundflowSummary', summary: summary as unknown as FundFlowSummary, rows };
      continue;
    }
    if (!values) {
      summaryColumns = readSummaryHeader(line, layout, where);
      continue;
    }
    const record = readRecord(columns, values, where);
    const index = rows++;
    yield layout.kind === 'trade'
      ? { type: 'trade', index, row: { ...TRADE_DEFAULTS, ...record } as TradeBillRow }
      : { type: 'fundflow', index, row: record as unknown as FundFlowRow };
  }
  if (!layout) throw billError('BILL_MALFORMED', 'the bill is empty (no header line)');
  if (!summaryDone) throw billError('BILL_MALFORMED', `the bill ends after ${rows} rows without its summary line (truncated?)`);
}
