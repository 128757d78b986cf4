/**
 * What the bill reconciliation needs: everything the refund logic has (db, the order and refund
 * gateways, the clock, the logger) plus the bill calls of the lib/wechatpay client and its settings.
 */
import type { BillApply, TradeBillInput } from '../wechatpay';
import type { RefundDeps } from '../refunds/deps';

export interface BillGateway {
  tradeBill(input: TradeBillInput): Promise<BillApply>;
  /** Decompressed bytes; a completed iteration means the SHA-1 matched (lib/wechatpay/bills/download.ts). */
  downloadBill(apply: BillApply): AsyncIterable<Buffer>;
}

export interface BillSettings {
  /** A run stops starting new work after this long and leaves a cursor (BILL_TIME_BUDGET_MS). */
  timeBudgetMs: number;
  /** Bill rows matched per database read (BILL_BATCH_SIZE, ≤ 1000: the cloud database's page limit). */
  batchSize: number;
  /** Batches read from the database at once while the file keeps streaming (BILL_LOOKUP_CONCURRENCY). */
  lookupConcurrency: number;
  /** openids allowed to run a reconciliation on demand (BILL_ADMIN_OPENIDS, default REFUND_ADMIN_OPENIDS). */
  adminOpenids: ReadonlySet<string>;
}

export interface BillDeps extends RefundDeps {
  bills: BillGateway;
  billSettings: BillSettings;
}
