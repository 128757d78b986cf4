/**
 * The cross-site guard every local port applies (console, CloudBase emulator, WeChat Pay simulator).
 * They listen on loopback, but the developer's browser also visits other sites, and a page there can
 * aim a form or a no-cors fetch at 127.0.0.1. Three cheap checks keep those out:
 *   - the Host must be a loopback name (defeats DNS rebinding: a hostile name resolving to 127.0.0.1);
 *   - an Origin, when a request carries one, must be our own (`http://<Host>`); servers, the SDKs and
 *     curl send none. https://servicewechat.com (WeChat's own pages) and LOCAL_ALLOWED_ORIGINS are
 *     also accepted: no web page can claim those origins;
 *   - a request with a body must declare a content type the route expects (JSON by default): a
 *     cross-site form can only send text/plain, urlencoded or multipart without a preflight we never
 *     answer.
 * Returns the refusal, or undefined when the request may proceed. Each server renders it in its own
 * error shape.
 */
import type { IncomingMessage } from 'node:http';

export interface Refusal {
  status: 403 | 415;
  code: 'FORBIDDEN_HOST' | 'FORBIDDEN_ORIGIN' | 'JSON_REQUIRED';
  message: string;
}

export interface GuardOptions {
  /** Who is answering, for the messages: "the CloudBase emulator". */
  service: string;
  /** Content types accepted when there is a body; default JSON. `null`: any (HTTP access routes). */
  bodyTypes?: RegExp[] | null;
}

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;
export const JSON_TYPE = /^application\/json\b/i;
const ALWAYS_ALLOWED_ORIGINS = ['https://servicewechat.com'];

function allowedOrigins(): string[] {
  const extra = (process.env.LOCAL_ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return [...ALWAYS_ALLOWED_ORIGINS, ...extra];
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

export function refuseCrossSite(req: IncomingMessage, options: GuardOptions): Refusal | undefined {
  const host = req.headers.host ?? '';
  if (!LOOPBACK_HOST.test(host)) {
    return { status: 403, code: 'FORBIDDEN_HOST', message: `${options.service} answers only to 127.0.0.1/localhost (Host: ${host || 'none'}); not retryable` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}` && !allowedOrigins().includes(origin)) {
    return {
      status: 403,
      code: 'FORBIDDEN_ORIGIN',
      message: `${options.service} refuses cross-site requests (Origin: ${origin}); if this origin is yours, add it to LOCAL_ALLOWED_ORIGINS`,
    };
  }
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD' || options.bodyTypes === null) return undefined;
  const type = req.headers['content-type'];
  const types = options.bodyTypes ?? [JSON_TYPE];
  if ((type !== undefined || hasBody(req)) && !types.some((t) => t.test(type ?? ''))) {
    return {
      status: 415,
      code: 'JSON_REQUIRED',
      message: `${options.service}: ${method} bodies must be application/json${types.length > 1 ? ' (or the SDK wire format)' : ''}, got ${type ?? 'no Content-Type'}`,
    };
  }
  return undefined;
}
