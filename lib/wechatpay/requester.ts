/**
 * One signed APIv3 call: sign → send (timeout) → verify every 2xx → parse, with retries only for calls
 * the caller marks idempotent and only on failures that are safe to repeat.
 */
import http from 'http';
import { ERROR_CODES, WxPayError } from './errors';
import { RawResponse, sendRequest } from './http';
import { Keyring } from './keyring/keyring';
import { PrivateKeyInput } from './keys';
import { buildAuthorization } from './sign';
import { Now } from './time';
import { verifyWechatpaySignature } from './verify';

export interface RequesterOptions {
  baseUrl: URL;
  agent: http.Agent;
  mchid: string;
  serialNo: string;
  privateKey: PrivateKeyInput;
  keyring: Keyring;
  /**
   * Sent as `Wechatpay-Serial` on every request (public-key and migration mode: the PUB_KEY_ID_…).
   * WeChat Pay signs the answer with the key a request names and, without the header, with the
   * platform certificate — which a public-key merchant does not know (UNKNOWN_SERIAL on every call).
   */
  wechatpaySerial?: string;
  /** Called when a 2xx response names a serial the keyring lacks; resolves true if it is now known. */
  onUnknownSerial?: (serial: string) => Promise<boolean>;
  now: () => Now;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  maxSkewSeconds?: number;
  userAgent: string;
}

export interface CallOptions {
  method: 'GET' | 'POST';
  /** Path + query, already percent-encoded; signed exactly as sent. */
  path: string;
  body?: object;
  /** Safe to repeat (GET, close, or idempotent by out_trade_no / out_refund_no). */
  idempotent: boolean;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON, or undefined for an empty (204) body. */
  data: unknown;
  raw: Buffer;
}

export function createRequester(o: RequesterOptions) {
  /** Signed, sent, but NOT verified: for /v3/certificates, which verifies itself with its own content. */
  async function send(call: CallOptions): Promise<RawResponse> {
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    // A base URL may carry a path prefix (a simulator behind a proxy); the signature covers the full path.
    const url = new URL(o.baseUrl.pathname.replace(/\/+$/, '') + call.path, o.baseUrl);
    const authorization = buildAuthorization({
      method: call.method, url: url.pathname + url.search, body: body ?? '', mchid: o.mchid, serialNo: o.serialNo, privateKey: o.privateKey, now: o.now(),
    });
    // A call's own Wechatpay-Serial (sensitive fields encrypted for one key) wins over the default.
    const serial: Record<string, string> = o.wechatpaySerial === undefined ? {} : { 'Wechatpay-Serial': o.wechatpaySerial };
    const headers: Record<string, string> = {
      Accept: 'application/json', Authorization: authorization, 'User-Agent': o.userAgent, ...serial, ...call.headers,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return sendRequest({ url, method: call.method, headers, body, timeoutMs: o.timeoutMs, agent: o.agent });
  }

  async function verify(res: RawResponse): Promise<void> {
    const verifyOpts = { publicKeys: o.keyring, now: o.now(), maxSkewSeconds: o.maxSkewSeconds };
    try {
      verifyWechatpaySignature({ headers: res.headers, body: res.body }, verifyOpts);
    } catch (err) {
      const serial = ((err as WxPayError).detail as { serial?: string } | undefined)?.serial;
      if (!(err instanceof WxPayError) || err.code !== ERROR_CODES.UNKNOWN_SERIAL || !o.onUnknownSerial || !serial) throw err;
      if (!(await o.onUnknownSerial(serial))) throw err;
      verifyWechatpaySignature({ headers: res.headers, body: res.body }, { ...verifyOpts, now: o.now() });
    }
  }

  async function attempt(call: CallOptions): Promise<CallResult> {
    const res = await send(call);
    if (res.status < 200 || res.status >= 300) throw errorFromResponse(res);
    // Missing headers on a 2xx mean forged; the outcome of a POST is then unknown: query before retrying.
    await verify(res);
    return { status: res.status, headers: res.headers, data: parseBody(res.body), raw: res.body };
  }

  async function call(c: CallOptions): Promise<CallResult> {
    for (let retry = 0; ; retry++) {
      try {
        return await attempt(c);
      } catch (err) {
        if (!c.idempotent || retry >= o.maxRetries || !isRetryable(err)) throw err;
        const delay = o.retryBaseDelayMs * 2 ** retry * (0.5 + Math.random() / 2);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  return { call, send };
}

/** Repeating is safe only when the request may not have been processed or WeChat says "try again". */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof WxPayError)) return false;
  if (err.code === ERROR_CODES.NETWORK_ERROR || err.code === ERROR_CODES.TIMEOUT) return true;
  if (err.code === 'SYSTEM_ERROR' || err.code === 'FREQUENCY_LIMITED') return true;
  return err.code === ERROR_CODES.HTTP_ERROR && (err.httpStatus ?? 0) >= 500;
}

function errorFromResponse(res: RawResponse): WxPayError {
  let envelope: { code?: unknown; message?: unknown; detail?: unknown } = {};
  try {
    envelope = JSON.parse(res.body.toString('utf8'));
  } catch {
    // not the WeChat envelope (a proxy's HTML page, an empty 502...)
  }
  const code = typeof envelope.code === 'string' && envelope.code ? envelope.code : ERROR_CODES.HTTP_ERROR;
  const message = typeof envelope.message === 'string' ? envelope.message : `HTTP ${res.status}`;
  return new WxPayError(code, `WeChat Pay answered ${res.status} ${code}: ${message}`, {
    httpStatus: res.status,
    detail: { code, message, detail: envelope.detail, requestId: res.headers['request-id'] },
  });
}

function parseBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new WxPayError(ERROR_CODES.MALFORMED_MESSAGE, 'a verified 2xx response is not JSON');
  }
}
