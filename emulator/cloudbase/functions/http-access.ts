/**
 * WeChat Cloud "HTTP access": a route table maps URL paths to functions. The function gets
 * the integration-request event and its `{statusCode, headers, body, isBase64Encoded}` reply
 * becomes the HTTP response (any other value is sent as JSON 200).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LIMITS, describeLimit } from '../limits';
import type { Invoked } from './host';

const TEXT_TYPES = /^(application\/(json|xml|x-www-form-urlencoded|javascript)|text\/)/i;

/** The longest route equal to the path or a prefix of it at a `/` boundary. */
export function matchRoute(routes: Record<string, string>, pathname: string): string | undefined {
  let best: string | undefined;
  for (const r of Object.keys(routes)) {
    const base = r.endsWith('/') && r !== '/' ? r.slice(0, -1) : r;
    const hit = pathname === base || pathname.startsWith(base === '/' ? '/' : `${base}/`);
    if (hit && (!best || base.length > best.length)) best = r;
  }
  return best === undefined ? undefined : routes[best];
}

export function integrationEvent(req: IncomingMessage, url: URL, body: Buffer, envId: string): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const k = req.rawHeaders[i].toLowerCase();
    const v = req.rawHeaders[i + 1];
    headers[k] = headers[k] === undefined ? v : `${headers[k]},${v}`;
    (multiValueHeaders[k] ??= []).push(v);
  }
  const queryStringParameters: Record<string, string> = {};
  for (const [k, v] of url.searchParams) queryStringParameters[k] = v;
  // Text bodies are passed as-is (byte-exact, so signatures verify); binary ones base64.
  const isText = body.length === 0 || TEXT_TYPES.test(headers['content-type'] ?? '');
  return {
    path: url.pathname,
    httpMethod: req.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters,
    requestContext: { requestId: randomUUID(), envId, appId: '', uin: '' },
    body: isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !isText,
  };
}

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export function replyFromOutcome(o: Invoked): HttpReply {
  if (!o.ok) {
    const status = o.kind === 'timeout' ? 504 : 502;
    return json(status, { errCode: status === 504 ? -504003 : -504002, errMsg: o.kind === 'timeout' ? o.message : `${o.name}: ${o.message}`, requestId: o.requestId });
  }
  const value: unknown = JSON.parse(o.json);
  if (value !== null && typeof value === 'object' && 'statusCode' in value) {
    const r = value as { statusCode: unknown; headers?: Record<string, unknown>; body?: unknown; isBase64Encoded?: unknown };
    const status = Number(r.statusCode);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
    let body: Buffer;
    if (typeof r.body === 'string') body = Buffer.from(r.body, r.isBase64Encoded === true ? 'base64' : 'utf8');
    else if (r.body === undefined || r.body === null) body = Buffer.alloc(0);
    else {
      body = Buffer.from(JSON.stringify(r.body));
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    return capped({ status: Number.isInteger(status) && status >= 100 && status <= 599 ? status : 502, headers, body }, o.requestId);
  }
  if (typeof value === 'string') return capped({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(value) }, o.requestId);
  return capped(json(200, value), o.requestId);
}

/** A response body over the HTTP access limit is not sent (*the real gateway's answer is unconfirmed*): 502, saying why. */
function capped(reply: HttpReply, requestId: string): HttpReply {
  if (reply.body.length <= LIMITS.httpAccessResponse.value) return reply;
  return json(502, { errCode: -504002, errMsg: `the function's HTTP response body is ${reply.body.length} bytes, over the HTTP access limit of ${describeLimit(LIMITS.httpAccessResponse)}; nothing was sent`, requestId });
}

function json(status: number, value: unknown): HttpReply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: Buffer.from(JSON.stringify(value)) };
}
