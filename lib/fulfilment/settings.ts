/** Fulfilment settings (not secrets), read from env once per function instance. */
import { ConfigError } from '../config';
import { parseAdminOpenids } from '../refunds/settings';

/** SHIPPING_ADMIN_OPENIDS, or the refund staff (REFUND_ADMIN_OPENIDS) when it is not set. */
export function loadShippingStaff(env: NodeJS.ProcessEnv): Set<string> {
  const own = (env.SHIPPING_ADMIN_OPENIDS ?? '').trim();
  return parseAdminOpenids(own || env.REFUND_ADMIN_OPENIDS);
}

/** How long the timer leaves a shipped order alone before asking getOrder again (default 600 s). */
export function loadCheckMinAge(env: NodeJS.ProcessEnv): number {
  return seconds(env, 'SHIPPING_CHECK_MIN_AGE_SECONDS', 600);
}

/** How old an owed upload must be before the timer sends it again (default 60 s). */
export function loadOutboxMinAge(env: NodeJS.ProcessEnv): number {
  return seconds(env, 'SHIPPING_OUTBOX_MIN_AGE_SECONDS', 60);
}

function seconds(env: NodeJS.ProcessEnv, name: 'SHIPPING_CHECK_MIN_AGE_SECONDS' | 'SHIPPING_OUTBOX_MIN_AGE_SECONDS', fallback: number): number {
  const raw = (env[name] ?? '').trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 30 * 86400) throw new ConfigError(name, `must be a whole number of seconds from 0 to 2592000 (got "${raw}")`);
  return n;
}
