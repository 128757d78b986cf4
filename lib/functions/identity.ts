/**
 * Who is calling. The deployment decides the source (IDENTITY_MODE), never the request:
 *   wxcontext (WeChat Cloud): cloud.getWXContext() only — bearer tokens are not even read, so a
 *     leaked or forged token is worthless there.
 *   session (SCF function URLs): only a session token from our login, in `Authorization: Bearer`;
 *     the platform context and any openid in the body are ignored.
 */
import { ConfigError, loadIdentityConfig, type IdentityConfig, type SessionIdentityConfig } from '../config';
import { APP_ERROR_CODES, AppError, invalidInput } from '../errors';
import { secretEnv, secretsGeneration } from '../ssm/env';
import { code2Session, Code2SessionError, CODE2SESSION_ERROR_CODES } from './code2session';
import { bearerToken, SessionError, signSessionToken, verifySessionToken } from './session';
import type { ClientRequest } from './transport';

export interface Caller {
  openid: string;
  appid?: string;
}

/** The subset of cloud.getWXContext() we use. It reads only the invocation's environment. */
export type WxContextReader = () => { OPENID?: string; APPID?: string };

const unauthenticated = (message: string, cause?: unknown) => new AppError(APP_ERROR_CODES.UNAUTHENTICATED, message, { cause });

let cached: { config: IdentityConfig; generation: number } | undefined;
/**
 * Read once per instance from process.env (with `ssm:` references resolved by prepareSecrets(),
 * re-read after a rotation); tests pass their own env instead.
 */
export function identityConfig(env?: Record<string, string | undefined>): IdentityConfig {
  if (env) return loadIdentityConfig(env);
  if (cached?.generation !== secretsGeneration()) cached = { config: loadIdentityConfig(secretEnv()), generation: secretsGeneration() };
  return cached.config;
}

export function requireCaller(readContext: WxContextReader): Caller {
  const { OPENID, APPID } = readContext();
  if (!OPENID) throw unauthenticated('Call this function from the mini-program (wx.cloud.callFunction); no user identity was provided.');
  return { openid: OPENID, ...(APPID ? { appid: APPID } : {}) };
}

export function resolveCaller(identity: IdentityConfig, request: ClientRequest, readContext: WxContextReader, now: number): Caller {
  if (identity.mode === 'wxcontext') return requireCaller(readContext);
  const token = request.transport === 'http' ? bearerToken(request.authorization) : undefined;
  if (!token) throw unauthenticated('Log in first: call login with {code} from wx.login(), then send Authorization: Bearer <token>.');
  try {
    const claims = verifySessionToken(token, { secret: identity.session.secret, now, appid: identity.session.appid });
    return { openid: claims.openid, ...(claims.appid ? { appid: claims.appid } : {}) };
  } catch (err) {
    if (err instanceof SessionError) throw unauthenticated(err.message, err);
    throw err;
  }
}

export interface LoginResult {
  caller: Caller;
  token: string;
  /** ms since the epoch */
  expiresAt: number;
}

const LOGIN_CODE = /^[A-Za-z0-9_-]{1,128}$/;

/** login in session mode: {code} → code2Session → a signed token. session_key is never kept. */
export async function exchangeLoginCode(session: SessionIdentityConfig, data: unknown, now: () => number): Promise<LoginResult> {
  const code = (data as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !LOGIN_CODE.test(code)) throw invalidInput('Send {code} with the code from wx.login().');
  if (!session.appSecret) throw new ConfigError('WX_APP_SECRET', 'is not set (login needs it to exchange wx.login() codes in IDENTITY_MODE=session)');
  let openid: string;
  try {
    ({ openid } = await code2Session({ baseUrl: session.wxApiBaseUrl, appid: session.appid, appSecret: session.appSecret, code }));
  } catch (err) {
    if (err instanceof Code2SessionError && err.code === CODE2SESSION_ERROR_CODES.CODE_INVALID) {
      throw unauthenticated('The login code is invalid or expired (WeChat errcode 40029): call wx.login() again and log in with the new code.', err);
    }
    if (err instanceof Code2SessionError && err.code === CODE2SESSION_ERROR_CODES.CODE_USED) {
      throw unauthenticated('The login code was already used (WeChat errcode 40163): codes are single-use; call wx.login() for a new one.', err);
    }
    // Outages and our own misconfiguration (bad appid/secret): logged by the handler, INTERNAL to the client.
    throw err;
  }
  const { token, claims } = signSessionToken({ secret: session.secret, openid, appid: session.appid, ttlSeconds: session.ttlSeconds, now: now() });
  return { caller: { openid, appid: session.appid }, token, expiresAt: claims.exp * 1000 };
}
