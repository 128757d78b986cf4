/** Bill reconciliation settings (not secrets), read from env once per function instance (bounds and defaults: lib/settings.ts). */
import { readIntSetting, readOpenidsSetting } from '../settings';
import type { BillSettings } from './deps';

export function loadBillSettings(env: NodeJS.ProcessEnv = process.env): BillSettings {
  return {
    timeBudgetMs: readIntSetting(env, 'BILL_TIME_BUDGET_MS'),
    batchSize: readIntSetting(env, 'BILL_BATCH_SIZE'),
    lookupConcurrency: readIntSetting(env, 'BILL_LOOKUP_CONCURRENCY'),
    // BILL_ADMIN_OPENIDS, or the refund staff when it is not set.
    adminOpenids: readOpenidsSetting(env, 'BILL_ADMIN_OPENIDS'),
  };
}
