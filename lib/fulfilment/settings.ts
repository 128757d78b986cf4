/** Fulfilment settings (not secrets), read from env once per function instance (bounds and defaults: lib/settings.ts). */
import { readIntSetting, readOpenidsSetting } from '../settings';

/** SHIPPING_ADMIN_OPENIDS, or the refund staff (REFUND_ADMIN_OPENIDS) when it is not set. */
export function loadShippingStaff(env: NodeJS.ProcessEnv): Set<string> {
  return readOpenidsSetting(env, 'SHIPPING_ADMIN_OPENIDS');
}

/** How long the timer leaves a shipped order alone before asking getOrder again (default 600 s). */
export function loadCheckMinAge(env: NodeJS.ProcessEnv): number {
  return readIntSetting(env, 'SHIPPING_CHECK_MIN_AGE_SECONDS');
}

/** How old an owed upload must be before the timer sends it again (default 60 s). */
export function loadOutboxMinAge(env: NodeJS.ProcessEnv): number {
  return readIntSetting(env, 'SHIPPING_OUTBOX_MIN_AGE_SECONDS');
}
