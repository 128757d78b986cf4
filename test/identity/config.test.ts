// loadIdentityConfig: wxcontext by default; session mode needs the appid and a ≥32-byte secret;
// errors name the variable and never echo a value.
import { ConfigError, DEFAULT_SESSION_TTL_SECONDS, DEFAULT_WX_API_BASE_URL, loadIdentityConfig } from '../../lib/config';

const SECRET = 's'.repeat(32);
const base = { IDENTITY_MODE: 'session', WX_APPID: 'wx1234567890abcdef', SESSION_TOKEN_SECRET: SECRET };

function variableOf(env: Record<string, string>): string | undefined {
  try {
    loadIdentityConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).not.toContain(env[(e as ConfigError).variable] || '\u0000');
    return (e as ConfigError).variable;
  }
  return undefined;
}

test('default and explicit wxcontext ignore every session variable', () => {
  expect(loadIdentityConfig({})).toEqual({ mode: 'wxcontext' });
  expect(loadIdentityConfig({ IDENTITY_MODE: 'wxcontext', SESSION_TOKEN_SECRET: 'short' })).toEqual({ mode: 'wxcontext' });
});

test('session mode with defaults', () => {
  expect(loadIdentityConfig(base)).toEqual({
    mode: 'session',
    session: { appid: base.WX_APPID, secret: Buffer.from(SECRET), ttlSeconds: DEFAULT_SESSION_TTL_SECONDS, wxApiBaseUrl: DEFAULT_WX_API_BASE_URL },
  });
  const full = loadIdentityConfig({ ...base, WX_APP_SECRET: 'abc', SESSION_TTL_SECONDS: '900', WX_API_BASE_URL: 'http://127.0.0.1:8791/' });
  expect(full.mode === 'session' && [full.session.appSecret, full.session.ttlSeconds, full.session.wxApiBaseUrl]).toEqual(['abc', 900, 'http://127.0.0.1:8791']);
});

test('bad values name their variable', () => {
  expect(variableOf({ IDENTITY_MODE: 'jwt' })).toBe('IDENTITY_MODE');
  expect(variableOf({ ...base, WX_APPID: '' })).toBe('WX_APPID');
  expect(variableOf({ ...base, SESSION_TOKEN_SECRET: 'x'.repeat(31) })).toBe('SESSION_TOKEN_SECRET');
  expect(variableOf({ ...base, SESSION_TOKEN_SECRET: '' })).toBe('SESSION_TOKEN_SECRET');
  expect(variableOf({ ...base, SESSION_TTL_SECONDS: '10' })).toBe('SESSION_TTL_SECONDS');
  expect(variableOf({ ...base, SESSION_TTL_SECONDS: '1.5h' })).toBe('SESSION_TTL_SECONDS');
  expect(variableOf({ ...base, WX_API_BASE_URL: 'http://api.weixin.qq.com' })).toBe('WX_API_BASE_URL');
});

