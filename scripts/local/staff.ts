/**
 * The local stack's merchant staff member. `refundOrder` refuses anyone not in REFUND_ADMIN_OPENIDS,
 * so the local console (and a developer at `npm start`) needs one staff openid to refund with.
 * This lives in scripts/local only: a deployment's allowlist is whatever its operator configures.
 */

/** Documented, fixed, obviously fake (no real WeChat openid starts "oLOCALSTAFF"). */
export const LOCAL_STAFF_OPENID = 'oLOCALSTAFF00000000000000001';

const withId = (current: string): string => {
  const ids = current.split(',').map((s) => s.trim());
  if (ids.includes(LOCAL_STAFF_OPENID)) return current;
  return current.trim() === '' ? LOCAL_STAFF_OPENID : `${current},${LOCAL_STAFF_OPENID}`;
};

/**
 * REFUND_ADMIN_OPENIDS with the local staff member added to whatever the shell or the caller set
 * (kept as given, so a malformed entry still fails loudly in the function); likewise
 * SHIPPING_ADMIN_OPENIDS and BILL_ADMIN_OPENIDS when they are set (unset, they default to the refund
 * staff), so the console's Ship and Run reconciliation work whatever a developer configured.
 */
export function withLocalStaff(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...env, REFUND_ADMIN_OPENIDS: withId(env.REFUND_ADMIN_OPENIDS ?? '') };
  for (const name of ['SHIPPING_ADMIN_OPENIDS', 'BILL_ADMIN_OPENIDS'] as const) {
    if ((env[name] ?? '').trim() !== '') out[name] = withId(env[name]);
  }
  return out;
}
