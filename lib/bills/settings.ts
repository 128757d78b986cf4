/** Bill reconciliation settings (not secrets), read from env once per function instance. */
import { parseAdminOpenids } from '../refunds/settings';
import type { BillSettings } from './deps';

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  return value;
}

export function loadBillSettings(env: NodeJS.ProcessEnv = process.env): BillSettings {
  const admins = env.BILL_ADMIN_OPENIDS !== undefined && env.BILL_ADMIN_OPENIDS !== '' ? env.BILL_ADMIN_OPENIDS : env.REFUND_ADMIN_OPENIDS;
  return {
    timeBudgetMs: intFromEnv(env, 'BILL_TIME_BUDGET_MS', 10_000, 500, 900_000),
    batchSize: intFromEnv(env, 'BILL_BATCH_SIZE', 1000, 1, 1000),
    lookupConcurrency: intFromEnv(env, 'BILL_LOOKUP_CONCURRENCY', 4, 1, 16),
    adminOpenids: parseAdminOpenids(admins),
  };
}
