/**
 * The platform with an access token (off WeChat Cloud, e.g. SCF): `POST {base}/cgi-bin/stable_token`
 * {grant_type: client_credential, appid, secret} gives a token valid `expires_in` seconds; it is
 * cached per instance and refreshed 5 minutes early, and once more when WeChat says it is invalid
 * (40001/42001/40014). The app secret travels only in that request body; nothing logged quotes it.
 */
import { PLATFORM_APIS, type MiniPlatform, type PlatformAnswer } from './apis';

export interface TokenPlatformOptions {
  appid: string;
  appSecret: string;
  /** https://api.weixin.qq.com by default; the local stack points it at the emulator. */
  baseUrl: string;
  now: () => number;
  timeoutMs?: number;
}

const TOKEN_INVALID = new Set([40001, 40014, 42001]);
const EARLY_MS = 5 * 60_000;

async function postJson(url: string, body: unknown, timeoutMs: number): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`mini-platform answered HTTP ${res.status} with a non-JSON body`);
  }
}

export function tokenPlatform(o: TokenPlatformOptions): MiniPlatform {
  let cached: { token: string; until: number } | undefined;
  const timeoutMs = o.timeoutMs ?? 5000;

  async function token(refresh: boolean): Promise<string | PlatformAnswer> {
    if (!refresh && cached && o.now() < cached.until) return cached.token;
    const r = await postJson(`${o.baseUrl}/cgi-bin/stable_token`, { grant_type: 'client_credential', appid: o.appid, secret: o.appSecret, force_refresh: false }, timeoutMs);
    if (typeof r.access_token !== 'string') return { errcode: typeof r.errcode === 'number' ? r.errcode : -1, errmsg: `stable_token: ${String(r.errmsg ?? 'no access_token')}` };
    const expiresIn = typeof r.expires_in === 'number' ? r.expires_in : 7200;
    cached = { token: r.access_token, until: o.now() + expiresIn * 1000 - EARLY_MS };
    return cached.token;
  }

  async function once(path: string, body: Record<string, unknown>, refresh: boolean): Promise<PlatformAnswer> {
    const t = await token(refresh);
    if (typeof t !== 'string') return t;
    const r = await postJson(`${o.baseUrl}${path}?access_token=${encodeURIComponent(t)}`, body, timeoutMs);
    return { ...r, errcode: typeof r.errcode === 'number' ? r.errcode : 0, errmsg: String(r.errmsg ?? 'ok') };
  }

  return {
    async call(api, body) {
      const path = PLATFORM_APIS[api].path;
      const answer = await once(path, body, false);
      if (!TOKEN_INVALID.has(answer.errcode)) return answer;
      cached = undefined;
      return once(path, body, true);
    },
  };
}
