/** Refund settings (not secrets), read from env once per function instance (bounds and defaults: lib/settings.ts). */
import { parseOpenids, readIntSetting, readOpenidsSetting } from '../settings';
import type { RefundSettings } from './deps';

/** "a, b ,c" → {a, b, c}. A malformed entry fails loudly: a typo must not silently lock staff out. */
export function parseAdminOpenids(raw: string | undefined): Set<string> {
  return parseOpenids(raw, 'REFUND_ADMIN_OPENIDS');
}

export function loadRefundSettings(env: NodeJS.ProcessEnv = process.env): RefundSettings {
  return { adminOpenids: readOpenidsSetting(env, 'REFUND_ADMIN_OPENIDS'), reconcileMinAgeSeconds: readIntSetting(env, 'REFUND_RECONCILE_MIN_AGE_SECONDS') };
}
