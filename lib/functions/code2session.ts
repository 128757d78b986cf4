/**
 * WeChat's code2Session: GET {base}/sns/jscode2session?appid&secret&js_code&grant_type=authorization_code
 * → {openid, session_key, unionid?} or HTTP 200 {errcode, errmsg}. The app secret travels only in that
 * query string: no error, log line or message built here contains the URL. session_key is dropped
 * on arrival — nothing we do needs it, and what is never kept cannot leak.
 */
import http from 'http';
import https from 'https';

export const CODE2SESSION_ERROR_CODES = {
  /** 40029: unknown, expired or for another appid — get a fresh wx.login() code. */
  CODE_INVALID: 'CODE_INVALID',
  /** 40163: the code was already exchanged — get a fresh wx.login() code. */
  CODE_USED: 'CODE_USED',
  /** Busy, rate-limited, unreachable, timed out or answered garbage: retry later. */
  WX_API_UNAVAILABLE: 'WX_API_UNAVAILABLE',
  /** Any other errcode (bad appid/secret…): our configuration, not the user. */
  WX_API_ERROR: 'WX_API_ERROR',
} as const;
export type Code2SessionErrorCode = (typeof CODE2SESSION_ERROR_CODES)[keyof typeof CODE2SESSION_ERROR_CODES];

export class Code2SessionError extends Error {
  override readonly name = 'Code2SessionError';
  constructor(readonly code: Code2SessionErrorCode, message: string, readonly errcode?: number) {
    super(message);
  }
}

export interface Code2SessionOptions {
  baseUrl: string;
  appid: string;
  appSecret: string;
  code: string;
  timeoutMs?: number;
}

export interface WxLogin {
  openid: string;
  unionid?: string;
}

const BUSY_ERRCODES = new Set([-1, 45011]);

export async function code2Session(o: Code2SessionOptions): Promise<WxLogin> {
  const url = new URL(`${o.baseUrl.replace(/\/+$/, '')}/sns/jscode2session`);
  url.search = new URLSearchParams({ appid: o.appid, secret: o.appSecret, js_code: o.code, grant_type: 'authorization_code' }).toString();
  const { status, body } = await get(url, o.timeoutMs ?? 5000);
  let reply: { openid?: unknown; unionid?: unknown; errcode?: unknown; errmsg?: unknown };
  try {
    reply = JSON.parse(body) as typeof reply;
  } catch {
    throw new Code2SessionError(CODE2SESSION_ERROR_CODES.WX_API_UNAVAILABLE, `code2Session answered HTTP ${status} with a non-JSON body`);
  }
  const errcode = typeof reply.errcode === 'number' ? reply.errcode : 0;
  if (errcode === 40029) throw new Code2SessionError(CODE2SESSION_ERROR_CODES.CODE_INVALID, 'invalid code (40029)', errcode);
  if (errcode === 40163) throw new Code2SessionError(CODE2SESSION_ERROR_CODES.CODE_USED, 'code been used (40163)', errcode);
  if (BUSY_ERRCODES.has(errcode)) throw new Code2SessionError(CODE2SESSION_ERROR_CODES.WX_API_UNAVAILABLE, `code2Session busy (${errcode})`, errcode);
  if (errcode !== 0) {
    // errmsg is WeChat's short text (e.g. "invalid appsecret"); it never echoes the secret.
    throw new Code2SessionError(CODE2SESSION_ERROR_CODES.WX_API_ERROR, `code2Session errcode ${errcode}: ${String(reply.errmsg ?? '').slice(0, 120)}`, errcode);
  }
  if (status !== 200 || typeof reply.openid !== 'string' || reply.openid === '') {
    throw new Code2SessionError(CODE2SESSION_ERROR_CODES.WX_API_UNAVAILABLE, `code2Session answered HTTP ${status} without an openid`);
  }
  return { openid: reply.openid, ...(typeof reply.unionid === 'string' && reply.unionid ? { unionid: reply.unionid } : {}) };
}

/** One GET with a hard timeout; failures name the path only (the query holds the secret). */
function get(url: URL, timeoutMs: number): Promise<{ status: number; body: string }> {
  const transport = url.protocol === 'https:' ? https : http;
  const unavailable = (why: string) => new Code2SessionError(CODE2SESSION_ERROR_CODES.WX_API_UNAVAILABLE, `GET ${url.pathname} ${why}`);
  return new Promise((resolve, reject) => {
    const req = transport.get(url, { headers: { accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e: NodeJS.ErrnoException) => reject(unavailable(`failed: ${e.code ?? 'response error'}`)));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    const timer = setTimeout(() => {
      reject(unavailable(`timed out after ${timeoutMs} ms`));
      req.destroy();
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(unavailable(`failed: ${e.code ?? 'network error'}`));
    });
  });
}
