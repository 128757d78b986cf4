// clientFunction in both identity modes, driven with the two event shapes. The identity source is
// the deployment's IDENTITY_MODE: a WeChat Cloud deployment ignores bearer tokens, an SCF one
// ignores the platform context and any openid in the body.
import { signSessionToken } from '../../lib/functions/session';
import { clientFunction } from '../../lib/functions/handler';
import { AppError, APP_ERROR_CODES } from '../../lib/errors';
import { bearer, functionUrlEvent, readAnswer, SESSION_SECRET } from './helpers';

const APPID = 'wx1234567890abcdef';
const NOW = Date.UTC(2024, 5, 1);
const SESSION_ENV = { IDENTITY_MODE: 'session', WX_APPID: APPID, SESSION_TOKEN_SECRET: SESSION_SECRET };
const WXCONTEXT_ENV = {};

const token = (openid: string, o: { now?: number; ttl?: number; secret?: string; appid?: string } = {}) =>
  signSessionToken({ secret: Buffer.from(o.secret ?? SESSION_SECRET), openid, appid: o.appid ?? APPID, ttlSeconds: o.ttl ?? 3600, now: o.now ?? NOW }).token;

/** A function that echoes who called and with what; the platform context says oPLATFORM. */
function echo(env: Record<string, string>, context: { OPENID?: string } = { OPENID: 'oPLATFORM' }) {
  return clientFunction(() => context, async (data, caller) => ({ caller: caller.openid, data }), { env, now: () => NOW });
}

describe('IDENTITY_MODE=session (SCF function URLs)', () => {
  test('a valid bearer token is the caller; data comes from the body', async () => {
    const a = readAnswer(await echo(SESSION_ENV)(functionUrlEvent({ data: { n: 1 } }, bearer(token('oALICE')))));
    expect(a.statusCode).toBe(200);
    expect(a.payload).toEqual({ result: { caller: 'oALICE', data: { n: 1 } } });
  });

  test('an openid in the body or in data is ignored; without a token the call is refused', async () => {
    const withToken = readAnswer(await echo(SESSION_ENV)(functionUrlEvent({ openid: 'oMALLORY', data: { openid: 'oMALLORY' } }, bearer(token('oALICE')))));
    expect(withToken.payload.result.caller).toBe('oALICE');
    const without = readAnswer(await echo(SESSION_ENV)(functionUrlEvent({ openid: 'oMALLORY', data: { openid: 'oMALLORY' } })));
    expect(without.statusCode).toBe(401);
    expect(without.payload.result.error.code).toBe(APP_ERROR_CODES.UNAUTHENTICATED);
    expect(without.payload.result.error.message).toMatch(/Bearer/);
  });

  test('expired, tampered, foreign-secret and foreign-appid tokens are 401 UNAUTHENTICATED', async () => {
    const valid = token('oALICE');
    const [v, c, s] = valid.split('.');
    const forgedClaims = Buffer.from(JSON.stringify({ openid: 'oMALLORY', appid: APPID, iat: NOW / 1000, exp: NOW / 1000 + 3600 })).toString('base64url');
    const cases: Array<[string, RegExp]> = [
      [token('oALICE', { now: NOW - 3601_000 }), /expired/],
      [`${v}.${forgedClaims}.${s}`, /signature/],
      [`${v}.${c}.${s.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A'))}`, /signature/],
      [token('oALICE', { secret: 'another-secret-another-secret-another' }), /signature/],
      [token('oALICE', { appid: 'wxFFFFFFFFFFFFFFFF' }), /another mini-program/],
    ];
    for (const [t, message] of cases) {
      const a = readAnswer(await echo(SESSION_ENV)(functionUrlEvent({ data: {} }, bearer(t))));
      expect([a.statusCode, a.payload.result.error.code]).toEqual([401, 'UNAUTHENTICATED']);
      expect(a.payload.result.error.message).toMatch(message);
    }
  });

  test('a direct (WeChat-Cloud-style) invocation is refused even when the platform context names a user', async () => {
    const result = await echo(SESSION_ENV)({ n: 1 });
    expect(result).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/log in first/i), retryable: false } });
  });

  test('a bad request gets an HTTP 400 answer', async () => {
    const a = readAnswer(await echo(SESSION_ENV)(functionUrlEvent('not json', bearer(token('oALICE')))));
    expect([a.statusCode, a.payload.result.error.code]).toEqual([400, 'INVALID_INPUT']);
  });
});

describe('IDENTITY_MODE=wxcontext (WeChat Cloud, the default)', () => {
  test('a direct call takes the caller from the platform context, as before', async () => {
    expect(await echo(WXCONTEXT_ENV)({ n: 2 })).toEqual({ caller: 'oPLATFORM', data: { n: 2 } });
  });

  test('a valid bearer token is not accepted: no platform identity → 401', async () => {
    const a = readAnswer(await echo(WXCONTEXT_ENV, {})(functionUrlEvent({ data: {} }, bearer(token('oALICE')))));
    expect([a.statusCode, a.payload.result.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(await echo({ IDENTITY_MODE: 'wxcontext', SESSION_TOKEN_SECRET: SESSION_SECRET }, {})({ authorization: `Bearer ${token('oALICE')}` }))
      .toEqual({ error: expect.objectContaining({ code: 'UNAUTHENTICATED' }) });
  });
});

describe('failures', () => {
  let errors: jest.SpyInstance;
  beforeEach(() => {
    errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => errors.mockRestore());

  test('a misconfigured IDENTITY_MODE or short secret is INTERNAL to the client and named in the log', async () => {
    expect(await echo({ IDENTITY_MODE: 'jwt' })({})).toEqual({ error: expect.objectContaining({ code: 'INTERNAL' }) });
    expect(errors.mock.calls[0][0]).toMatch(/IDENTITY_MODE/);
    const a = readAnswer(await echo({ ...SESSION_ENV, SESSION_TOKEN_SECRET: 'short-secret-value' })(functionUrlEvent({ data: {} }, bearer(token('oALICE')))));
    expect([a.statusCode, a.payload.result.error.code]).toEqual([500, 'INTERNAL']);
    expect(errors.mock.calls[1][0]).toMatch(/SESSION_TOKEN_SECRET must be at least 32 bytes/);
    expect(errors.mock.calls[1][0]).not.toContain('short-secret-value');
  });

  test('an AppError from the function keeps its code and status; other errors are hidden', async () => {
    const notFound = clientFunction(() => ({}), async () => {
      throw new AppError(APP_ERROR_CODES.ORDER_NOT_FOUND, 'no such order');
    }, { env: SESSION_ENV, now: () => NOW });
    const a = readAnswer(await notFound(functionUrlEvent({ data: {} }, bearer(token('oALICE')))));
    expect([a.statusCode, a.payload.result.error.code]).toEqual([404, 'ORDER_NOT_FOUND']);
    const boom = clientFunction(() => ({}), async () => {
      throw new Error('db password=hunter2 rejected');
    }, { env: SESSION_ENV, now: () => NOW });
    const b = readAnswer(await boom(functionUrlEvent({ data: {} }, bearer(token('oALICE')))));
    expect([b.statusCode, b.payload.result.error.code]).toEqual([500, 'INTERNAL']);
    expect(b.raw).not.toContain('hunter2');
  });
});
