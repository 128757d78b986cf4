/**
 * lib/settings.ts: the one table of the functions' tuning settings. Every variable a loader reads
 * must reach the function — deploy carries it (scripts/deploy/config.ts; what it masks:
 * test/deploy/settings.test.ts) — and the tuning ones are passed through by `npm start`
 * (scripts/local/function-env.ts); a value out of bounds fails with the variable's name.
 */
import { loadBillSettings } from '../../lib/bills/settings';
import { ConfigError, loadIdentityConfig } from '../../lib/config';
import { loadCheckMinAge, loadOutboxMinAge, loadShippingStaff } from '../../lib/fulfilment/settings';
import { loadOrderSettings } from '../../lib/orders/settings';
import { loadPlatformConfig } from '../../lib/platform/config';
import { loadRefundSettings } from '../../lib/refunds/settings';
import { FUNCTION_SETTINGS, readIntSetting, readOpenidsSetting, SETTINGS } from '../../lib/settings';
import { secretsTtlMs } from '../../lib/ssm/env';
import { FUNCTION_ENV_NAMES } from '../../scripts/deploy/config';
import { generateCredentials } from '../../emulator/credentials';
import { functionEnvFor } from '../../scripts/local/function-env';

/** The names a loader looks up, recorded through a Proxy over a valid environment. */
function namesRead(load: (env: NodeJS.ProcessEnv) => unknown, base: NodeJS.ProcessEnv): string[] {
  const read = new Set<string>();
  const env = new Proxy(base, { get: (target, name) => (typeof name === 'string' && read.add(name), target[name as string]) });
  load(env);
  return [...read];
}

const SESSION_ENV = { IDENTITY_MODE: 'session', WX_APPID: 'wx1234567890abcdef', SESSION_TOKEN_SECRET: 'x'.repeat(40), WX_APP_SECRET: 'app-secret' };
// Three entries each: jest would take a third parameter missing from a row for a done callback.
const LOADERS: Array<[string, (env: NodeJS.ProcessEnv) => unknown, NodeJS.ProcessEnv]> = [
  ['orders', loadOrderSettings, {}],
  ['refunds', loadRefundSettings, {}],
  ['bills', loadBillSettings, {}],
  ['shipping staff', loadShippingStaff, {}],
  ['shipping check age', loadCheckMinAge, {}],
  ['shipping outbox age', loadOutboxMinAge, {}],
  ['platform (token)', loadPlatformConfig, { MINI_PLATFORM_TRANSPORT: 'token', WX_APPID: 'wx1234567890abcdef', WX_APP_SECRET: 'app-secret' }],
  ['identity (session)', loadIdentityConfig, SESSION_ENV],
  ['secrets cache', secretsTtlMs, {}],
];

describe('every setting a loader reads reaches the function', () => {
  it.each(LOADERS)('%s: deploy carries each name it reads', (_, load, base) => {
    const names = namesRead(load, base);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !(FUNCTION_ENV_NAMES as readonly string[]).includes(name))).toEqual([]);
  });

  it('npm start passes every tuning setting of the table through', () => {
    const shell = Object.fromEntries(Object.keys(SETTINGS).map((name) => [name, '7']));
    const env = functionEnvFor(generateCredentials(), 'http://127.0.0.1:18791', {}, shell);
    for (const name of Object.keys(SETTINGS)) expect([name, env[name]]).toEqual([name, '7']);
    expect(FUNCTION_SETTINGS).toEqual(Object.keys(SETTINGS));
  });
});

describe('reading a setting', () => {
  it('unset or blank → the table default; out of bounds or not whole → CONFIG_INVALID naming the variable', () => {
    for (const [name, spec] of Object.entries(SETTINGS)) {
      if (spec.kind !== 'int') continue;
      const n = name as 'ORDER_EXPIRE_MINUTES';
      expect(readIntSetting({}, n)).toBe(spec.default);
      expect(readIntSetting({ [name]: '  ' }, n)).toBe(spec.default);
      expect(readIntSetting({ [name]: ` ${spec.max} ` }, n)).toBe(spec.max);
      for (const bad of [String(spec.max + 1), String(spec.min - 1), '1.5', 'ten']) {
        let err: unknown;
        try {
          readIntSetting({ [name]: bad }, n);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ConfigError);
        expect(err).toMatchObject({ code: 'CONFIG_INVALID', variable: name, message: expect.stringContaining(`${name} must be a whole number`) });
      }
    }
  });

  it('a staff list names its own variable when malformed, and falls back to the refund staff when empty', () => {
    expect(() => readOpenidsSetting({ BILL_ADMIN_OPENIDS: 'oSTAFF0001;x' }, 'BILL_ADMIN_OPENIDS')).toThrow(/^BILL_ADMIN_OPENIDS must be a comma-separated list of openids/);
    expect(() => loadShippingStaff({ SHIPPING_ADMIN_OPENIDS: 'no way' })).toThrow(/^SHIPPING_ADMIN_OPENIDS /);
    expect([...loadBillSettings({ BILL_ADMIN_OPENIDS: ' ', REFUND_ADMIN_OPENIDS: 'oSTAFF0001' }).adminOpenids]).toEqual(['oSTAFF0001']);
    expect([...loadShippingStaff({ REFUND_ADMIN_OPENIDS: 'oSTAFF0001, oSTAFF0002' })]).toEqual(['oSTAFF0001', 'oSTAFF0002']);
    expect([...loadShippingStaff({ SHIPPING_ADMIN_OPENIDS: 'oSTAFF0003', REFUND_ADMIN_OPENIDS: 'oSTAFF0001' })]).toEqual(['oSTAFF0003']);
  });
});

describe('WX_API_BASE_URL', () => {
  it('is read by one rule for identity and the platform transport: https or loopback http, no query string, the default when unset', () => {
    const token = { MINI_PLATFORM_TRANSPORT: 'token', WX_APPID: 'wx1234567890abcdef', WX_APP_SECRET: 'app-secret' };
    expect(loadPlatformConfig(token)).toMatchObject({ baseUrl: 'https://api.weixin.qq.com' });
    expect(loadPlatformConfig({ ...token, WX_API_BASE_URL: 'http://127.0.0.1:4010/' })).toMatchObject({ baseUrl: 'http://127.0.0.1:4010' });
    for (const bad of ['http://api.example.com', 'https://api.example.com/?x=1', 'not a url']) {
      expect(() => loadPlatformConfig({ ...token, WX_API_BASE_URL: bad })).toThrow(expect.objectContaining({ variable: 'WX_API_BASE_URL' }));
    }
    expect(() => loadPlatformConfig({ ...token, WX_API_BASE_URL: 'https://api.example.com/?x=1' })).toThrow('WX_API_BASE_URL must not carry a query string or fragment');
  });
});
