/** Refund settings (not secrets), read from env once per function instance. */
import type { RefundSettings } from './deps';

const OPENID = /^[0-9A-Za-z_-]{6,64}$/;

/** "a, b ,c" → {a, b, c}. A malformed entry fails loudly: a typo must not silently lock staff out. */
export function parseAdminOpenids(raw: string | undefined): Set<string> {
  const ids = (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const id of ids) {
    if (!OPENID.test(id)) throw new Error(`REFUND_ADMIN_OPENIDS must be a comma-separated list of openids (got an entry of ${id.length} characters that is not one).`);
  }
  return new Set(ids);
}

export function loadRefundSettings(env: NodeJS.ProcessEnv = process.env): RefundSettings {
  const rawAge = env.REFUND_RECONCILE_MIN_AGE_SECONDS;
  let reconcileMinAgeSeconds = 180;
  if (rawAge !== undefined && rawAge !== '') {
    reconcileMinAgeSeconds = Number(rawAge);
    if (!Number.isInteger(reconcileMinAgeSeconds) || reconcileMinAgeSeconds < 0 || reconcileMinAgeSeconds > 86_400) {
      throw new Error(`REFUND_RECONCILE_MIN_AGE_SECONDS must be a whole number from 0 to 86400 (got "${rawAge}").`);
    }
  }
  return { adminOpenids: parseAdminOpenids(env.REFUND_ADMIN_OPENIDS), reconcileMinAgeSeconds };
}
