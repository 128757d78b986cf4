/**
 * `ssm:` references in secret variables, resolved against a local SSM double that verifies the
 * TC3 signature and the role's session token. The cache clock is injected: no sleeps.
 */
import { generateKeyPairSync } from 'crypto';
import { ConfigError, loadConfig, loadIdentityConfig } from '../../lib/config';
import type { LogEvent } from '../../lib/log';
import { SECRET_ERROR_REASONS, SecretReferenceError } from '../../lib/ssm/reference';
import { createSecretEnv, type SecretEnv } from '../../lib/ssm/env';
import { startSsmDouble, type SsmDouble } from './ssmDouble';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const APIV3_V1 = 'abcdefghijklmnopqrstuvwxyz012345';
const APIV3_V2 = 'ZYXWVUTSRQPONMLKJIHGFEDCBA543210';
const SESSION_SECRET = 'session-secret-0123456789-abcdefghijklmnop';
const APP_SECRET = 'app-secret-0123456789abcdef';
const ROLE = { id: 'AKIDrole0001', key: 'role-secret-key-do-not-log', token: 'role-session-token-xyz' };
const ALL_VALUES = [merchant.privateKey, APIV3_V1, APIV3_V2, SESSION_SECRET, APP_SECRET, ROLE.key];

const plain = {
  WX_APPID: 'wx1234567890abcdef',
  WXPAY_MCHID: '1900000001',
  WXPAY_MERCHANT_SERIAL_NO: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
  WXPAY_NOTIFY_URL: 'https://shop.example.com/pay/notify',
};

let ssm: SsmDouble;
beforeEach(async () => {
  ssm = await startSsmDouble({ [ROLE.id]: { secretKey: ROLE.key, token: ROLE.token } });
  ssm.putSecret('wxpay-private-key', 'v1', merchant.privateKey);
  ssm.putSecret('wxpay-apiv3', 'v1', APIV3_V1);
  ssm.putSecret('identity', 'v1', JSON.stringify({ session: SESSION_SECRET, app: APP_SECRET }));
});
afterEach(() => ssm.close());

function roleEnv(extra: Record<string, string>): Record<string, string> {
  return {
    ...plain,
    TENCENTCLOUD_SECRETID: ROLE.id,
    TENCENTCLOUD_SECRETKEY: ROLE.key,
    TENCENTCLOUD_SESSIONTOKEN: ROLE.token,
    TENCENTCLOUD_REGION: 'ap-guangzhou',
    TENCENTCLOUD_SSM_ENDPOINT: ssm.url,
    ...extra,
  };
}

/** A secret env on an injected clock, with its log lines captured. */
function setup(env: Record<string, string>) {
  let t = 1_800_000_000_000;
  const logs: Array<{ event: LogEvent; fields: Record<string, unknown> }> = [];
  const secrets: SecretEnv = createSecretEnv({ env, now: () => t, log: (event, fields = {}) => logs.push({ event, fields }) });
  return { secrets, logs, advance: (ms: number) => (t += ms) };
}

async function rejection(p: Promise<unknown>): Promise<SecretReferenceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SecretReferenceError);
    expect(e).toBeInstanceOf(ConfigError);
    return e as SecretReferenceError;
  }
  throw new Error('expected a rejection');
}

test('ssm: references are resolved into the env the config loaders read, with a signed call carrying the role token', async () => {
  const { secrets } = setup(roleEnv({ WXPAY_PRIVATE_KEY: 'ssm:wxpay-private-key', WXPAY_APIV3_KEY: 'ssm:wxpay-apiv3' }));
  await secrets.prepare();
  const env = secrets.current();
  expect(env.WXPAY_PRIVATE_KEY).toBe(merchant.privateKey);
  expect(env.WXPAY_APIV3_KEY).toBe(APIV3_V1);
  const cfg = loadConfig(env);
  expect(cfg.apiV3Key).toBe(APIV3_V1);
  expect(cfg.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  expect(ssm.calls.map((c) => `${c.secretName}@${c.versionId}`).sort()).toEqual(['wxpay-apiv3@SSM_Current', 'wxpay-private-key@SSM_Current']);
  expect(ssm.calls.every((c) => c.token === ROLE.token && c.region === 'ap-guangzhou')).toBe(true);
});

test('a pinned version (ssm:<name>@<version>) is served even after a newer version exists', async () => {
  ssm.putSecret('wxpay-apiv3', 'v2', APIV3_V2);
  const { secrets } = setup(roleEnv({ WXPAY_APIV3_KEY: 'ssm:wxpay-apiv3@v1' }));
  await secrets.prepare();
  expect(secrets.current().WXPAY_APIV3_KEY).toBe(APIV3_V1);
  expect(ssm.calls).toEqual([expect.objectContaining({ secretName: 'wxpay-apiv3', versionId: 'v1' })]);
});

test('SESSION_TOKEN_SECRET and WX_APP_SECRET can be fields of one JSON secret (one call for both)', async () => {
  const { secrets } = setup(roleEnv({ IDENTITY_MODE: 'session', SESSION_TOKEN_SECRET: 'ssm:identity#session', WX_APP_SECRET: 'ssm:identity#app' }));
  await secrets.prepare();
  const identity = loadIdentityConfig(secrets.current());
  expect(identity.mode === 'session' && identity.session.secret.toString('utf8')).toBe(SESSION_SECRET);
  expect(identity.mode === 'session' && identity.session.appSecret).toBe(APP_SECRET);
  expect(ssm.calls).toHaveLength(1);
});

test('a SecretBinary secret is decoded from base64', async () => {
  ssm.putSecret('apiv3-binary', 'v1', APIV3_V2, { binary: true });
  const { secrets } = setup(roleEnv({ WXPAY_APIV3_KEY: 'ssm:apiv3-binary' }));
  await secrets.prepare();
  expect(secrets.current().WXPAY_APIV3_KEY).toBe(APIV3_V2);
});

test('within the TTL the cached value is served without calling SSM', async () => {
  const { secrets, advance } = setup(roleEnv({ WXPAY_APIV3_KEY: 'ssm:wxpay-apiv3', SECRETS_CACHE_TTL_SECONDS: '600' }));
  await secrets.prepare();
  for (let i = 0; i < 5; i++) {
    advance(100_000); // 8 min 20 s in total: still inside 10 min
    await secrets.prepare();
    expect(secrets.current().WXPAY_APIV3_KEY).toBe(APIV3_V1);
  }
  expect(ssm.calls).toHaveLength(1);
  expect(secrets.generation()).toBe(1);
});

test('after the TTL the secret is fetched again and a rotated value replaces the old one (generation bumps)', async () => {
  const { secrets, advance } = setup(roleEnv({ WXPAY_APIV3_KEY: 'ssm:wxpay-apiv3', SECRETS_CACHE_TTL_SECONDS: '600' }));
  await secrets.prepare();
  const before = secrets.generation();
  ssm.putSecret('wxpay-apiv3', 'v2', APIV3_V2); // rotation: the new version becomes SSM_Current
  advance(599_000);
  await secrets.prepare();
  expect(secrets.current().WXPAY_APIV3_KEY).toBe(APIV3_V1);
  advance(2_000);
  await secrets.prepare();
  expect(secrets.current().WXPAY_APIV3_KEY).toBe(APIV3_V2);
  expect(ssm.calls).toHaveLength(2);
  expect(secrets.generation()).toBe(before + 1);
  // Fetched again, unchanged: no rebuild of what depends on it.
  advance(601_000);
  await secrets.prepare();
  expect(ssm.calls).toHaveLength(3);
  expect(secrets.generation()).toBe(before + 1);
});

test('an unknown secret fails with an error naming the variable and the secret, and nothing secret in it or in the logs', async () => {
  const { secrets, logs } = setup(roleEnv({ WXPAY_APIV3_KEY: 'ssm:wxpay-apiv3', WXPAY_PRIVATE_KEY: 'ssm:no-such-secret' }));
  const err = await rejection(secrets.prepare());
  expect(err.variable).toBe('WXPAY_PRIVATE_KEY');
  expect(err.secretName).toBe('no-such-secret');
  expect(err.reason).toBe(SECRET_ERROR_REASONS.NOT_FOUND);
  expect(err.code).toBe('CONFIG_INVALID');
  expect(err.message).toMatch(/^WXPAY_PRIVATE_KEY references SSM secret "no-such-secret".*ResourceNotFound/);
  const visible = JSON.stringify({ message: err.message, logs, stack: err.stack });
  for (const value of ALL_VALUES) expect(visible).not.toContain(value);
  expect(() => secrets.current()).toThrow(SecretReferenceError);
});

test('SSM down on refresh: the cached value keeps being served, the failure is logged without the value, and retried later', async () => {
  const { secrets, logs, advance } = setup(roleEnv({ WXPAY_APIV3_KEY: 'ssm:wxpay-apiv3', SECRETS_CACHE_TTL_SECONDS: '600' }));
  await secrets.prepare();
  ssm.setDown(true);
  advance(601_000);
  await secrets.prepare();
  expect(secrets.current().WXPAY_APIV3_KEY).toBe(APIV3_V1);
  expect(ssm.refused).toBe(1);
  expect(logs.filter((l) => l.event === 'secrets.refresh_failed')).toEqual([
    { event: 'secrets.refresh_failed', fields: { variable: 'WXPAY_APIV3_KEY', secret: 'wxpay-apiv3', kind: 'UNAVAILABLE', apiCode: null } },
  ]);
  expect(JSON.stringify(logs)).not.toContain(APIV3_V1);
  // Not hammered on every invocation: the next try is a minute later.
  advance(30_000);
  await secrets.prepare();
  expect(ssm.refused).toBe(1);
  ssm.setDown(false);
  ssm.putSecret('wxpay-apiv3', 'v2', APIV3_V2);
  advance(31_000);
  await secrets.prepare();
  expect(secrets.current().WXPAY_APIV3_KEY).toBe(APIV3_V2);
});

test('SSM down on the first fetch fails clearly (UNAVAILABLE), naming variable and secret', async () => {
  ssm.setDown(true);
  const { secrets } = setup(roleEnv({ WXPAY_APIV3_KEY: 'ssm:wxpay-apiv3' }));
  const err = await rejection(secrets.prepare());
  expect([err.variable, err.secretName, err.reason]).toEqual(['WXPAY_APIV3_KEY', 'wxpay-apiv3', 'UNAVAILABLE']);
});

test('without any ssm: reference nothing is called and the env is passed through as the same object', async () => {
  const env = roleEnv({ WXPAY_PRIVATE_KEY: merchant.privateKey, WXPAY_APIV3_KEY: APIV3_V1, SESSION_TOKEN_SECRET: SESSION_SECRET });
  const { secrets } = setup(env);
  await secrets.prepare();
  await secrets.prepare();
  expect(secrets.current()).toBe(env);
  expect(secrets.generation()).toBe(0);
  expect(ssm.calls).toHaveLength(0);
  expect(ssm.refused).toBe(0);
});

test('a reference in a variable that is not secret-bearing is left as text (and never fetched)', async () => {
  const env = roleEnv({ WXPAY_NOTIFY_URL: 'ssm:wxpay-apiv3', WXPAY_APIV3_KEY: APIV3_V1 });
  const { secrets } = setup(env);
  await secrets.prepare();
  expect(secrets.current().WXPAY_NOTIFY_URL).toBe('ssm:wxpay-apiv3');
  expect(ssm.calls).toHaveLength(0);
});

test('the double rejects a wrong key or a missing role token: DENIED with the API code', async () => {
  const wrongKey = setup(roleEnv({ WXPAY_APIV3_KEY: 'ssm:wxpay-apiv3', TENCENTCLOUD_SECRETKEY: 'not-the-key' }));
  const e1 = await rejection(wrongKey.secrets.prepare());
  expect([e1.reason, e1.message]).toEqual(['DENIED', expect.stringContaining('AuthFailure.SignatureFailure')]);
  const noToken = roleEnv({ WXPAY_APIV3_KEY: 'ssm:wxpay-apiv3' });
  delete noToken.TENCENTCLOUD_SESSIONTOKEN;
  const e2 = await rejection(setup(noToken).secrets.prepare());
  expect([e2.reason, e2.message]).toEqual(['DENIED', expect.stringContaining('AuthFailure.TokenFailure')]);
  expect(e1.message + e2.message).not.toContain('not-the-key');
  expect(ssm.calls).toHaveLength(0);
});

test('no credentials in the runtime: CREDENTIALS_MISSING, no call', async () => {
  const env = roleEnv({ WXPAY_PRIVATE_KEY: 'ssm:wxpay-private-key' });
  delete env.TENCENTCLOUD_SECRETKEY;
  const err = await rejection(setup(env).secrets.prepare());
  expect([err.variable, err.secretName, err.reason]).toEqual(['WXPAY_PRIVATE_KEY', 'wxpay-private-key', 'CREDENTIALS_MISSING']);
  expect(err.message).toContain('execution role');
  expect(ssm.calls).toHaveLength(0);
});

test('malformed references and a missing JSON field are refused with the variable named', async () => {
  const bad = await rejection(setup(roleEnv({ WXPAY_APIV3_KEY: 'ssm:has space' })).secrets.prepare());
  expect([bad.variable, bad.reason]).toEqual(['WXPAY_APIV3_KEY', 'REFERENCE_INVALID']);
  const field = await rejection(setup(roleEnv({ WX_APP_SECRET: 'ssm:identity#nope' })).secrets.prepare());
  expect([field.variable, field.secretName, field.reason]).toEqual(['WX_APP_SECRET', 'identity', 'JSON_KEY_MISSING']);
  expect(field.message).not.toContain(SESSION_SECRET);
});

test('reading the env before prepare() with references present is a programming error, not a silent "ssm:…" value', () => {
  const { secrets } = setup(roleEnv({ WXPAY_APIV3_KEY: 'ssm:wxpay-apiv3' }));
  expect(() => secrets.current()).toThrow(/not resolved before use/);
});
