// deploy:scf carries every function setting from the deploying shell — the bill and shipping ones
// included, and the platform transport and message-push token shipOrder/tradeEvents need off-cloud —
// and a plan shows the tuning knobs in clear but masks the staff lists (openids are personal data)
// and the push token.
import { collectEnvironment, maskValue } from '../../scripts/deploy/config';
import { withLocalStaff, LOCAL_STAFF_OPENID } from '../../scripts/local/staff';
import { STAFF_LIST_SETTINGS, staffListFallback } from '../../lib/settings';

const STAFF = 'oSTAFF00000000000000000001';

test('bill, shipping and platform settings are taken from the shell', () => {
  const shell = {
    BILL_ADMIN_OPENIDS: STAFF, BILL_TIME_BUDGET_MS: '40000', BILL_BATCH_SIZE: '500', BILL_LOOKUP_CONCURRENCY: '8',
    SHIPPING_ADMIN_OPENIDS: STAFF, SHIPPING_CHECK_MIN_AGE_SECONDS: '300', SHIPPING_OUTBOX_MIN_AGE_SECONDS: '30',
    MINI_PLATFORM_TRANSPORT: 'access_token', MSG_PUSH_TOKEN: 'push-token-123', UNRELATED: 'x',
  };
  const env = collectEnvironment({}, '.', shell);
  const { UNRELATED: _unrelated, ...expected } = shell;
  expect(env).toEqual(expected);
});

test('a plan masks staff lists and the push token, shows the knobs', () => {
  for (const name of ['REFUND_ADMIN_OPENIDS', 'SHIPPING_ADMIN_OPENIDS', 'BILL_ADMIN_OPENIDS']) expect(maskValue(name, STAFF)).toBe(`<secret, ${STAFF.length} chars>`);
  expect(maskValue('MSG_PUSH_TOKEN', 'push-token-123')).toBe('<secret, 14 chars>');
  for (const [name, value] of [['BILL_TIME_BUDGET_MS', '40000'], ['SHIPPING_CHECK_MIN_AGE_SECONDS', '300'], ['MINI_PLATFORM_TRANSPORT', 'access_token']]) expect(maskValue(name, value)).toBe(value);
});

test('the local stack adds its staff member to the shipping and bill staff lists only when they are set (unset, they default to the refund staff)', () => {
  expect(withLocalStaff({})).toEqual({ REFUND_ADMIN_OPENIDS: LOCAL_STAFF_OPENID });
  expect(withLocalStaff({ BILL_ADMIN_OPENIDS: STAFF, SHIPPING_ADMIN_OPENIDS: ' ' })).toEqual({
    REFUND_ADMIN_OPENIDS: LOCAL_STAFF_OPENID, BILL_ADMIN_OPENIDS: `${STAFF},${LOCAL_STAFF_OPENID}`, SHIPPING_ADMIN_OPENIDS: ' ',
  });
  expect(withLocalStaff({ SHIPPING_ADMIN_OPENIDS: `${STAFF}, ${LOCAL_STAFF_OPENID}` }).SHIPPING_ADMIN_OPENIDS).toBe(`${STAFF}, ${LOCAL_STAFF_OPENID}`);
});

test("every staff list of lib/settings' table gets the local staff member: set, always; unset, unless it falls back to another list", () => {
  const all = Object.fromEntries(STAFF_LIST_SETTINGS.map((name) => [name, STAFF]));
  const given = withLocalStaff(all);
  for (const name of STAFF_LIST_SETTINGS) expect([name, given[name]]).toEqual([name, `${STAFF},${LOCAL_STAFF_OPENID}`]);
  const unset = withLocalStaff({});
  for (const name of STAFF_LIST_SETTINGS) {
    expect([name, unset[name]]).toEqual([name, staffListFallback(name) ? undefined : LOCAL_STAFF_OPENID]);
  }
});
