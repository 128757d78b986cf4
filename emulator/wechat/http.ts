// Wire plumbing: read the raw body, route, and answer. /v3 2xx answers are signed over the exact bytes
// sent (204 included) with the key platform.ts picks; /v3 4xx/5xx carry no Wechatpay-* headers (as
// captured real errors do); /__sim and /sns answers are plain JSON.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, readBodyLimited } from '../shared/body';
import { SimError } from './errors';
import { responseKey, signBody } from './platform';
import type { SimState } from './state';

export interface Ctx {
  method: string;
  /** Path + query exactly as received: what the merchant signed. */
  rawUrl: string;
  path: string;
  query: URLSearchParams;
  params: string[];
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** The authenticated merchant's mchid (/v3 routes). */
  mchid: string;
}

export interface Reply {
  status: number;
  /** Serialised with JSON.stringify; undefined → empty body. */
  body?: unknown;
}

export type Handler = (state: SimState, ctx: Ctx) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /** 'v3': authenticated + signed + faults; 'plain': unsigned JSON. */
  kind: 'v3' | 'plain';
  /**
   * The handler changes nothing: its answer waits for a write already in flight (it may report what
   * that write is making durable) but starts none, and does not even look for changes to commit.
   */
  readOnly?: boolean;
}

const MAX_BODY = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  try {
    return await readBodyLimited(req, MAX_BODY, 'the WeChat Pay simulator');
  } catch (e) {
    if (e instanceof BodyTooLarge) throw new SimError(413, e.code, e.message);
    throw e;
  }
}

export function parseJson(ctx: Ctx): Record<string, unknown> {
  const type = String(ctx.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(type)) {
    throw new SimError(400, 'INVALID_REQUEST', 'Content-Type must be application/json');
  }
  let value: unknown;
  try {
    value = JSON.parse(ctx.rawBody.toString('utf8'));
  } catch {
    throw new SimError(400, 'PARAM_ERROR', 'request body is not valid JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new SimError(400, 'PARAM_ERROR', 'request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** `requestHeaders`: the request's, whose `Wechatpay-Serial` decides the signing key in migration mode. */
export function send(state: SimState, res: ServerResponse, reply: Reply, signed: boolean, requestHeaders: IncomingHttpHeaders = {}): void {
  const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
  const headers: Record<string, string> = { 'Request-ID': randomBytes(16).toString('hex').toUpperCase() };
  if (body) headers['Content-Type'] = 'application/json; charset=utf-8';
  if (signed && reply.status >= 200 && reply.status < 300) {
    const named = requestHeaders['wechatpay-serial'];
    const key = responseKey(state.platform, Array.isArray(named) ? named[0] : named);
    Object.assign(headers, signBody(key, body, state.clock.wallNow()));
  }
  headers['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(reply.status, headers);
  res.end(body);
}

export function errorReply(err: unknown): Reply {
  if (err instanceof SimError) return { status: err.status, body: err.toBody() };
  // An unexpected failure in the simulator itself: answer like the real service's internal error.
  return { status: 500, body: { code: 'SYSTEM_ERROR', message: `simulator error: ${(err as Error)?.message ?? String(err)}` } };
}

export function match(routes: Route[], method: string, path: string): { route: Route; params: string[] } | 'method' | undefined {
  let pathMatched = false;
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method === method) return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return pathMatched ? 'method' : undefined;
}
