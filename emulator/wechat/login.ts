// Mini-program login (code2Session). Codes are minted by the control endpoint, single-use and valid
// 5 minutes. WeChat's API errors come back as HTTP 200 with {errcode, errmsg}.
import { randomBytes } from 'node:crypto';
import type { Ctx, Reply } from './http';
import type { SimState } from './state';

export const LOGIN_CODE_TTL_MS = 5 * 60 * 1000;

const fail = (errcode: number, errmsg: string): Reply => ({ status: 200, body: { errcode, errmsg } });

export function mintLoginCode(state: SimState, openid: string, appid?: string): string {
  const code = randomBytes(16).toString('hex');
  state.loginCodes.set(code, { code, openid, appid, expiresAt: state.now() + LOGIN_CODE_TTL_MS, used: false });
  state.changed('loginCodes', code);
  return code;
}

export function jscode2session(state: SimState, ctx: Ctx): Reply {
  const q = ctx.query;
  const appid = q.get('appid');
  if (!appid) return fail(41002, 'appid missing');
  if (!q.get('secret')) return fail(41004, 'appsecret missing');
  const code = q.get('js_code');
  if (!code) return fail(41008, 'missing code');
  if (q.get('grant_type') !== 'authorization_code') return fail(40002, 'invalid grant_type');
  const known = [...state.merchants.values()].some((m) => m.appids.has(appid));
  if (!known) return fail(40013, 'invalid appid');
  const entry = state.loginCodes.get(code);
  if (!entry || entry.expiresAt <= state.now() || (entry.appid && entry.appid !== appid)) return fail(40029, 'invalid code');
  if (entry.used) return fail(40163, 'code been used');
  entry.used = true;
  state.changed('loginCodes', code);
  return { status: 200, body: { openid: entry.openid, session_key: randomBytes(16).toString('base64') } };
}
