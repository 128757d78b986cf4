/**
 * The local stack's merchant staff member. `refundOrder` refuses anyone not in REFUND_ADMIN_OPENIDS,
 * so the local console (and a developer at `npm start`) needs one staff openid to refund with.
 * This lives in scripts/local only: a deployment's allowlist is whatever its operator configures.
 */
import { STAFF_LIST_SETTINGS, staffListFallback } from '../../lib/settings';

/** Documented, fixed, obviously fake (no real WeChat openid starts "oLOCALSTAFF"). */
export const LOCAL_STAFF_OPENID = 'oLOCALSTAFF00000000000000001';

const withId = (current: string): string => {
  const ids = current.split(',').map((s) => s.trim());
  if (ids.includes(LOCAL_STAFF_OPENID)) return current;
  return current.trim() === '' ? LOCAL_STAFF_OPENID : `${current},${LOCAL_STAFF_OPENID}`;
};

/**
 * Every staff list of lib/settings' table (STAFF_LIST_SETTINGS) with the local staff member added to
 * whatever the shell or the caller set (kept as given, so a malformed entry still fails loudly in
 * the function). A list that falls back to another when empty (SHIPPING_ADMIN_OPENIDS and
 * BILL_ADMIN_OPENIDS default to the refund staff) gets it only when set, so the console's Refund,
 * Ship and Run reconciliation work whatever a developer configured.
 */
export function withLocalStaff(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...env };
  for (const name of STAFF_LIST_SETTINGS) {
    const current = env[name] ?? '';
    if (!staffListFallback(name) || current.trim() !== '') out[name] = withId(current);
  }
  return out;
}
