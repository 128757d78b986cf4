/** Bill reconciliation settings (not secrets), read from env once per function instance (bounds and defaults: lib/settings.ts). */
import { readIntSettings, readOpenidsSetting } from '../settings';
import type { BillSettings } from './deps';

export function loadBillSettings(env: NodeJS.ProcessEnv = process.env): BillSettings {
  const numbers = readIntSettings(env, { timeBudgetMs: 'BILL_TIME_BUDGET_MS', batchSize: 'BILL_BATCH_SIZE', lookupConcurrency: 'BILL_LOOKUP_CONCURRENCY' });
  // BILL_ADMIN_OPENIDS, or the refund staff when it is not set.
  return { ...numbers, adminOpenids: readOpenidsSetting(env, 'BILL_ADMIN_OPENIDS') };
}
