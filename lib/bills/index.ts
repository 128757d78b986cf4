/** Daily bill reconciliation (see README "Bill reconciliation"). */
export { reconcileBillDay } from './run';
export type { RunOptions } from './run';
export { billTimerTick } from './timer';
export type { TimerOutcome } from './timer';
export { requestBillReconciliation, parseBillRequest } from './request';
export { loadDay, listDays } from './store';
export { loadBillSettings } from './settings';
export { billDateProblem, chinaDateOf, addDays, dayWindow } from './days';
export { toBillView, MAX_LISTED, FINAL_STATUSES } from './model';
export type { BillReconciliation, BillReconciliationView, BillStatus, Discrepancy, DiscrepancyKind, HealedItem, BillTotals, OurTotals } from './model';
export type { BillDeps, BillGateway, BillSettings } from './deps';
