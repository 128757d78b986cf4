import crypto, { randomBytes } from 'crypto';
import {
  bearerToken,
  SESSION_ERROR_CODES,
  SessionError,
  signSessionToken,
  verifySessionToken,
} from '../../lib/functions/session';

const secret = randomBytes(32);
const now = Date.UTC(2024, 0, 1, 12, 0, 0);
const appid = 'wx1234567890abcdef';

function mint(overrides: Partial<Parameters<typeof signSessionToken>[0]> = {}): string {
  return signSessionToken({ secret, openid: 'oUSER1', appid, ttlSeconds: 600, now, ...overrides }).token;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SessionError);
    return (e as SessionError).code;
  }
  return undefined;
}

describe('session tokens', () => {
  test('sign then verify returns the claims (openid, appid, iat, exp)', () => {
    const { token, claims } = signSessionToken({ secret, openid: 'oUSER1', appid, ttlSeconds: 600, now });
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(claims).toEqual({ openid: 'oUSER1', appid, iat: now / 1000, exp: now / 1000 + 600 });
    expect(verifySessionToken(token, { secret, now: now + 599_000, appid })).toEqual(claims);
  });

  test('a token is refused as SESSION_EXPIRED at and after exp', () => {
    const token = mint();
    expect(codeOf(() => verifySessionToken(token, { secret, now: now + 600_000, appid }))).toBe(SESSION_ERROR_CODES.SESSION_EXPIRED);
    expect(codeOf(() => verifySessionToken(token, { secret, now: now + 86_400_000, appid }))).toBe(SESSION_ERROR_CODES.SESSION_EXPIRED);
  });

  test('tampered claims, signature, version or another secret → SESSION_INVALID', () => {
    const token = mint();
    const [v, claims, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ openid: 'oATTACKER', appid, iat: now / 1000, exp: now / 1000 + 600 })).toString('base64url');
    const flipped = Buffer.from(sig, 'base64url');
    flipped[0] ^= 1;
    const cases = [
      `${v}.${forged}.${sig}`,
      `${v}.${claims}.${flipped.toString('base64url')}`,
      `${v}.${claims}.${sig.slice(0, -2)}`,
      `v2.${claims}.${sig}`,
      `${v}.${claims}`,
      `${token}.x`,
      '',
      'Bearer x',
      mint({ secret: randomBytes(32) }),
    ];
    for (const t of cases) expect(codeOf(() => verifySessionToken(t, { secret, now, appid }))).toBe(SESSION_ERROR_CODES.SESSION_INVALID);
    expect(codeOf(() => verifySessionToken(undefined, { secret, now, appid }))).toBe(SESSION_ERROR_CODES.SESSION_INVALID);
  });

  test('even a validly signed token for another appid, or one without appid, is refused when the appid is configured', () => {
    expect(codeOf(() => verifySessionToken(mint({ appid: 'wxOTHER0000000000' }), { secret, now, appid }))).toBe(SESSION_ERROR_CODES.SESSION_INVALID);
    expect(codeOf(() => verifySessionToken(mint({ appid: undefined }), { secret, now, appid }))).toBe(SESSION_ERROR_CODES.SESSION_INVALID);
  });

  test('a validly signed token with incomplete claims is refused', () => {
    const claims = Buffer.from(JSON.stringify({ openid: '', iat: 1, exp: 9e9 })).toString('base64url');
    const signed = `v1.${claims}`;
    const mac = crypto.createHmac('sha256', secret).update(signed).digest('base64url');
    expect(codeOf(() => verifySessionToken(`${signed}.${mac}`, { secret, now }))).toBe(SESSION_ERROR_CODES.SESSION_INVALID);
  });

  test('the MAC is compared with crypto.timingSafeEqual (observed, not replaced)', () => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      verifySessionToken(mint(), { secret, now, appid });
      expect(spy).toHaveBeenCalledTimes(1);
      const [a, b] = spy.mock.calls[0] as [Buffer, Buffer];
      expect(a.length).toBe(32);
      expect(b.length).toBe(32);
    } finally {
      spy.mockRestore();
    }
  });

  test('secrets shorter than 32 bytes are refused for signing and verifying', () => {
    expect(() => mint({ secret: Buffer.alloc(31, 1) })).toThrow(/at least 32 bytes/);
    expect(() => verifySessionToken(mint(), { secret: Buffer.alloc(16, 1), now })).toThrow(/at least 32 bytes/);
  });

  test('the token does not contain the secret or a session_key field', () => {
    const token = mint();
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(Object.keys(claims).sort()).toEqual(['appid', 'exp', 'iat', 'openid']);
    expect(token).not.toContain(secret.toString('base64url'));
  });

  test('bearerToken reads only the Bearer scheme', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
