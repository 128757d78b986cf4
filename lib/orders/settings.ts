/** Order-logic settings (not secrets), read from env once per function instance (bounds and defaults: lib/settings.ts). */
import { readIntSettings } from '../settings';

export interface OrderSettings {
  /** How long an unpaid order stays payable; sent to WeChat Pay as time_expire. */
  orderExpireMinutes: number;
  /** The timer leaves younger orders alone: their notification is probably on its way. */
  reconcileMinAgeSeconds: number;
  /** The timer stops starting new work after this long, so it finishes inside its timeout. */
  reconcileTimeBudgetMs: number;
  reconcileBatchSize: number;
  reconcileConcurrency: number;
}

export function loadOrderSettings(env: NodeJS.ProcessEnv = process.env): OrderSettings {
  return readIntSettings(env, {
    orderExpireMinutes: 'ORDER_EXPIRE_MINUTES',
    reconcileMinAgeSeconds: 'RECONCILE_MIN_AGE_SECONDS',
    reconcileTimeBudgetMs: 'RECONCILE_TIME_BUDGET_MS',
    reconcileBatchSize: 'RECONCILE_BATCH_SIZE',
    reconcileConcurrency: 'RECONCILE_CONCURRENCY',
  });
}
