// The http transport (MP_TRANSPORT=http): functions behind SCF function URLs, where the platform knows
// no user. wx.login() → login({code}) → a session token kept here (and in storage across launches),
// sent as `Authorization: Bearer` on every wx.request. An UNAUTHENTICATED answer (expired session)
// logs in again once and retries. Every caller guards with `if (__MP_HTTP__)`, so a cloud-transport
// build drops this module entirely.
import { httpConfig, localConfig } from '../config';
import { ApiError, CLIENT_CODES } from './errors';

interface Session {
  openid: string;
  token: string;
  /** ms since the epoch */
  expiresAt: number;
}

interface HttpResult {
  statusCode: number;
  data: unknown;
}

const STORAGE_KEY = 'wxcloud-pay.session';
/** Log in again a minute early rather than send a token that expires in flight. */
const RENEW_MARGIN_MS = 60 * 1000;

let session: Session | null = null;
let loggingIn: Promise<Session> | null = null;

export function functionUrl(name: string): string {
  const c = httpConfig();
  const url = c.functionUrls[name] || (c.functionsBaseUrl ? `${c.functionsBaseUrl}/${encodeURIComponent(name)}` : '');
  if (!url) throw new ApiError(CLIENT_CODES.BAD_RESPONSE, `no URL is configured for function ${name}`);
  return url;
}

function post(url: string, body: unknown, token?: string): Promise<HttpResult> {
  const header: Record<string, string> = { 'content-type': 'application/json' };
  if (token) header.Authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    wx.request({
      url,
      method: 'POST',
      data: body as WechatMiniprogram.IAnyObject,
      header,
      success: (res) => resolve({ statusCode: res.statusCode, data: res.data }),
      fail: (err) => reject(new ApiError(CLIENT_CODES.NETWORK, err.errMsg)),
    });
  });
}

/** POST {data} → the function's result (exactly what wx.cloud.callFunction would give as res.result). */
async function invoke(name: string, data: unknown, token?: string): Promise<unknown> {
  const res = await post(functionUrl(name), { data }, token);
  const body = res.data as { result?: unknown } | null;
  if (body && typeof body === 'object' && 'result' in body) return body.result;
  throw new ApiError(CLIENT_CODES.BAD_RESPONSE, `function ${name} answered HTTP ${res.statusCode} without a result`);
}

function errorOf(result: unknown): { code: string; message: string } | null {
  const error = result && typeof result === 'object' ? (result as { error?: { code?: unknown; message?: unknown } }).error : undefined;
  return error ? { code: String(error.code || 'INTERNAL'), message: String(error.message || '') } : null;
}

function loginCode(): Promise<string> {
  // A local build has no real WeChat login: the simulator mints the code for the dev openid.
  if (__MP_LOCAL__) {
    const local = localConfig();
    return post(`${local.simulatorUrl}/__sim/login-code`, { openid: local.openid }).then((res) => {
      const code = (res.data as { code?: unknown } | null)?.code;
      if (typeof code !== 'string') throw new ApiError(CLIENT_CODES.BAD_RESPONSE, 'the simulator gave no login code');
      return code;
    });
  }
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => (res.code ? resolve(res.code) : reject(new ApiError(CLIENT_CODES.NETWORK, 'wx.login gave no code'))),
      fail: (err) => reject(new ApiError(CLIENT_CODES.NETWORK, err.errMsg)),
    });
  });
}

function usable(s: Session | null): s is Session {
  return Boolean(s && s.token && s.expiresAt - RENEW_MARGIN_MS > Date.now());
}

function stored(): Session | null {
  try {
    const s = wx.getStorageSync(STORAGE_KEY) as Session | '';
    return s && typeof s === 'object' ? s : null;
  } catch (e) {
    return null;
  }
}

function keep(s: Session | null): void {
  session = s;
  try {
    if (s) wx.setStorageSync(STORAGE_KEY, s);
    else wx.removeStorageSync(STORAGE_KEY);
  } catch (e) {
    // Storage full or unavailable: the in-memory session still works for this launch.
  }
}

async function login(): Promise<Session> {
  const result = await invoke('login', { code: await loginCode() });
  const error = errorOf(result);
  if (error) throw new ApiError(error.code, error.message);
  const r = result as Partial<Session>;
  if (typeof r.token !== 'string' || typeof r.openid !== 'string' || typeof r.expiresAt !== 'number') {
    throw new ApiError(CLIENT_CODES.BAD_RESPONSE, 'login returned no session');
  }
  const s = { openid: r.openid, token: r.token, expiresAt: r.expiresAt };
  keep(s);
  return s;
}

/** The current session, logging in when there is none (concurrent callers share one login). */
function ensureSession(fresh: boolean): Promise<Session> {
  if (!fresh) {
    if (!session) session = stored();
    if (usable(session)) return Promise.resolve(session);
  }
  if (!loggingIn) {
    loggingIn = login().then(
      (s) => { loggingIn = null; return s; },
      (e) => { loggingIn = null; throw e; },
    );
  }
  return loggingIn;
}

/** Like wx.cloud.callFunction's res.result. `login` is the session itself (kept one if still valid) → {openid}. */
export async function callHttpFunction(name: string, data: unknown): Promise<unknown> {
  if (name === 'login') return { openid: (await ensureSession(false)).openid };
  const first = await ensureSession(false);
  const result = await invoke(name, data, first.token);
  const error = errorOf(result);
  if (!error || error.code !== 'UNAUTHENTICATED') return result;
  // Expired or revoked (e.g. the server's secret was rotated): one fresh login, one retry.
  keep(null);
  const again = await ensureSession(true);
  return invoke(name, data, again.token);
}
