/** Order-logic settings (not secrets), read from env once per function instance. */
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

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  }
  return value;
}

export function loadOrderSettings(env: NodeJS.ProcessEnv = process.env): OrderSettings {
  return {
    orderExpireMinutes: intFromEnv(env, 'ORDER_EXPIRE_MINUTES', 30, 1, 7 * 24 * 60),
    reconcileMinAgeSeconds: intFromEnv(env, 'RECONCILE_MIN_AGE_SECONDS', 60, 0, 86_400),
    reconcileTimeBudgetMs: intFromEnv(env, 'RECONCILE_TIME_BUDGET_MS', 2_000, 100, 900_000),
    reconcileBatchSize: intFromEnv(env, 'RECONCILE_BATCH_SIZE', 100, 1, 1000),
    reconcileConcurrency: intFromEnv(env, 'RECONCILE_CONCURRENCY', 5, 1, 50),
  };
}
