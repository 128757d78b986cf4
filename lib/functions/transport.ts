/**
 * How a client call reaches a function, read from the event's shape. It decides only how to read
 * the request and how to answer — never who the caller is (that is IDENTITY_MODE's job, see
 * identity.ts), so a client cannot pick its own authentication by choosing a shape.
 *   direct: wx.cloud.callFunction / POST /functions/{name}: the event is the data, the value is the answer.
 *   http:   an SCF function URL (or HTTP access): POST body `{"data": …}`, `Authorization: Bearer …`;
 *           answered `{statusCode, headers, body: JSON {result}}`, result being exactly what the
 *           direct call would have returned (including `{error}`), so clients share one code path.
 */
import { httpStatusOf } from '../contract/errors';
import { invalidInput, type AppErrorCode } from '../errors';
import { isHttpEvent, jsonResponse, parseHttpEvent, type HttpResponse } from '../http/event';

export type ClientRequest =
  | { transport: 'direct'; data: unknown }
  | { transport: 'http'; data: unknown; authorization?: string };

/** A body larger than this is not a mini-program call (WeChat Cloud caps callFunction data at 100 KB too). */
export const MAX_HTTP_BODY_BYTES = 100 * 1024;

/** The transport is known before anything can fail, so even a malformed HTTP call gets an HTTP answer. */
export function transportOf(event: unknown): ClientRequest['transport'] {
  return isHttpEvent(event) ? 'http' : 'direct';
}

export function parseClientRequest(event: unknown): ClientRequest {
  if (transportOf(event) === 'direct') return { transport: 'direct', data: event ?? {} };
  let request;
  try {
    request = parseHttpEvent(event);
  } catch (err) {
    throw invalidInput((err as Error).message);
  }
  if (request.method !== 'POST') throw invalidInput(`Call functions with POST (got ${request.method}).`);
  if (request.rawBody.length > MAX_HTTP_BODY_BYTES) throw invalidInput(`The request body is over ${MAX_HTTP_BODY_BYTES} bytes.`);
  let data: unknown = {};
  const text = request.rawBody.toString('utf8').trim();
  if (text !== '') {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw invalidInput('The request body must be JSON: {"data": {...}}.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidInput('The request body must be a JSON object: {"data": {...}}.');
    // Only `data` is read: anything else in the body (an openid, say) is ignored by design.
    data = (body as { data?: unknown }).data ?? {};
  }
  const authorization = request.headers.authorization;
  return { transport: 'http', data, ...(authorization ? { authorization } : {}) };
}

/** HTTP status for a function's return value: 200, or the error code's status (unknown codes → 400). */
export function statusFor(value: unknown): number {
  const code = (value as { error?: { code?: AppErrorCode } } | null)?.error?.code;
  if (!code) return 200;
  return httpStatusOf(code) ?? 400;
}

export function answer(transport: ClientRequest['transport'], value: unknown): unknown {
  if (transport === 'direct') return value;
  const response: HttpResponse = jsonResponse(statusFor(value), { result: value });
  // Per-user answers: no cache between the mini-program and the function may keep them.
  response.headers['cache-control'] = 'no-store';
  return response;
}

