/** Bills: apply, download (SHA-1 checked), streaming parse, and the writer the simulator uses. */
export { BILL_ERROR_CODES, NO_STATEMENT_EXIST, STATEMENT_CREATING } from './errors';
export { yuanToFen, feeToMilliFen, fenToYuan, milliFenToYuan, parseScaled, formatScaled } from './amount';
export { TRADE_LAYOUTS, TRADE_SUMMARIES, FUNDFLOW_COLUMNS, FUNDFLOW_SUMMARY, layoutOfHeader } from './layouts';
export type { TradeLayout, BillLayout, Column } from './layouts';
export { splitLines, splitValues } from './lines';
export type { ByteSource } from './lines';
export { parseBill } from './parse';
export type { ParseOptions } from './parse';
export { formatBill, formatBillLines } from './format';
export type { FormatOptions } from './format';
export { checkApply, downloadBill } from './download';
export type { BillApply, DownloadDeps } from './download';
export { createBillApi } from './api';
export type { TradeBillInput, FundFlowBillInput, TradeBillType, FundFlowAccountType } from './api';
export type { TradeBillRow, TradeBillSummary, FundFlowRow, FundFlowSummary, BillRecord } from './types';
