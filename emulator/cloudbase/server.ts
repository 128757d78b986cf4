/**
 * HTTP surface of the emulator (a request listener; index.ts does the listening):
 *   POST /admin                     TCB admin wire (wx-server-sdk / @cloudbase/node-sdk); multipart = cloud calls
 *   POST /functions/{name}          like wx.cloud.callFunction from a user: {data, openid, appid?, unionid?}
 *   POST /__emulator/faults         {"writeFailureRate": p, "seed"?}; {} clears
 *   GET  /__emulator/faults         {faults, injected: {writeFailures}} (since the last POST)
 *   POST /__emulator/trigger/{name} fire that function's timer now
 *   POST /__emulator/reload         {functions?: [name]}: new bundles on disk, later calls start fresh instances
 *   GET  /__emulator/logs           ?function=&after=&limit= function log lines kept per function
 *   GET  /__emulator/health         {ok, envId}
 *   /__emulator/platform/…, /cgi-bin/stable_token, /wxa/sec/order/…   the mini-program platform (platform/control.ts)
 *   any path in the route table     HTTP access → function
 * Every request passes the cross-site guard (emulator/shared/guard.ts) first; bodies over 16 MiB get 413.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { handleAdmin, type AdminContext } from './admin';
import { LIMITS } from './limits';
import { TcbError } from './errors';
import type { Faults } from './faults';
import { notFoundAnswer, payloadAnswer, payloadTooLarge, toClientAnswer } from './functions/calls';
import { integrationEvent, matchRoute, replyFromOutcome } from './functions/http-access';
import { fire, readTimer } from './functions/timers';
import { handleStorage, isStorageRequest } from './storage/http';
import { handleMultipartAdmin } from './openapi/frame';
import { multipartBoundary } from './openapi/multipart';
import type { CloudCallTables } from './openapi/table';
import type { FunctionLogs } from './functions/logs';
import { BodyTooLarge, readBodyLimited } from '../shared/body';
import { CONTROL_PREFIX } from '../shared/emulator';
import { JSON_TYPE, refuseCrossSite } from '../shared/guard';
import type { MiniPlatform } from './platform';
import { routePlatform } from './platform/control';

export interface AppState extends AdminContext {
  faults: Faults;
  functionsDir: string;
  routes: Record<string, string>;
  /** Emulated cloud calls (cloud.openapi.* / cloud.cloudPay.*), see openapi/table.ts */
  cloudCalls: CloudCallTables;
  /** The mini-program platform (shipping APIs, confirm receipt), when started with one. */
  platform?: MiniPlatform;
  logs: FunctionLogs;
}

const MAX_BODY = LIMITS.requestPacket.value;
const SERVICE = 'the CloudBase emulator';
/** /admin also takes the SDK's multipart cloud-call wire; HTTP access routes are the developer's own API. */
const ADMIN_TYPES = [JSON_TYPE, /^multipart\/form-data\b/i];

function bodyTypesFor(state: AppState, path: string): RegExp[] | null {
  if (path === '/admin') return ADMIN_TYPES;
  if (isStorageRequest(path)) return null; // file uploads: any type
  if (path.startsWith('/functions/') || path.startsWith(CONTROL_PREFIX.cloudbase)) return [JSON_TYPE];
  return matchRoute(state.routes, path) ? null : [JSON_TYPE];
}

function sendJson(res: ServerResponse, status: number, value: unknown, close = false): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...(close ? { connection: 'close' } : {}) });
  res.end(body);
}

function parseJson(buf: Buffer): unknown {
  try {
    return buf.length ? JSON.parse(buf.toString('utf8')) : {};
  } catch {
    return undefined;
  }
}

const badRequest = (res: ServerResponse, code: string, message: string): void => sendJson(res, 400, { code, message });

async function callFunctionAsUser(state: AppState, name: string, body: unknown, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const b = body as { data?: unknown; openid?: unknown; appid?: unknown; unionid?: unknown } | undefined;
  if (!b || typeof b !== 'object' || Array.isArray(b)) return badRequest(res, 'INVALID_PARAM', 'body must be a JSON object {data, openid, appid?, unionid?}');
  if (typeof b.openid !== 'string' || !b.openid) return badRequest(res, 'INVALID_PARAM', 'openid (string) is required: it is the calling user');
  for (const k of ['appid', 'unionid'] as const) if (b[k] !== undefined && typeof b[k] !== 'string') return badRequest(res, 'INVALID_PARAM', `${k} must be a string`);
  if (b.data !== undefined && (b.data === null || typeof b.data !== 'object')) return badRequest(res, 'INVALID_PARAM', 'data must be an object');
  const tooLarge = payloadTooLarge(Buffer.byteLength(JSON.stringify(b.data ?? {})));
  if (tooLarge) return sendJson(res, 200, payloadAnswer(tooLarge));
  try {
    state.host.entryOf(name);
  } catch (e) {
    return sendJson(res, 200, notFoundAnswer(e as TcbError));
  }
  const identity = { openid: b.openid, appid: b.appid as string | undefined, unionid: b.unionid as string | undefined, clientIp: req.socket.remoteAddress?.replace(/^::ffff:/, ''), source: 'wx_client' };
  sendJson(res, 200, toClientAnswer(await state.host.invoke(name, b.data ?? {}, identity)));
}

async function triggerTimer(state: AppState, name: string, res: ServerResponse): Promise<void> {
  let timer;
  try {
    state.host.entryOf(name);
    timer = readTimer(state.functionsDir, name);
  } catch (e) {
    return sendJson(res, 404, { code: (e as TcbError).code, message: (e as Error).message });
  }
  if (!timer) return sendJson(res, 404, { code: 'CB_NO_TIMER', message: `function ${name} has no timer trigger in its config.json` });
  sendJson(res, 200, toClientAnswer(await fire(state.host, timer, new Date())));
}

async function route(state: AppState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  const p = url.pathname;
  const refused = refuseCrossSite(req, { service: SERVICE, bodyTypes: bodyTypesFor(state, p) });
  if (refused) return sendJson(res, refused.status, { code: refused.code, message: refused.message });
  // Storage streams its own bodies (uploads may be far larger than any API request).
  if (isStorageRequest(p)) return handleStorage(state.storage, req, res, url);
  let body: Buffer;
  try {
    body = await readBodyLimited(req, MAX_BODY, SERVICE);
  } catch (e) {
    if (e instanceof BodyTooLarge) return sendJson(res, 413, { code: e.code, message: e.message }, true);
    throw e;
  }
  if (req.method === 'GET' && p === '/__emulator/health') return sendJson(res, 200, { ok: true, envId: state.envId });
  if (req.method === 'POST' && p === '/admin') {
    // Cloud calls (wx.openApi / wx.wxPayApi) come as multipart; everything else is JSON.
    const boundary = multipartBoundary(req.headers['content-type']);
    if (boundary) {
      const reply = await handleMultipartAdmin(state, body, boundary, url.searchParams.get('env'));
      res.writeHead(200, { 'content-type': reply.contentType, 'content-length': reply.body.length });
      return void res.end(reply.body);
    }
    const parsed = parseJson(body);
    return sendJson(res, 200, await handleAdmin(state, parsed === undefined ? null : parsed, url.searchParams.get('env')));
  }
  const fn = /^\/functions\/([^/]+)$/.exec(p);
  if (req.method === 'POST' && fn) {
    const parsed = parseJson(body);
    return callFunctionAsUser(state, decodeURIComponent(fn[1]), parsed, req, res);
  }
  if (req.method === 'POST' && p === '/__emulator/faults') {
    try {
      return sendJson(res, 200, { faults: state.faults.configure(parseJson(body) ?? null) });
    } catch (e) {
      return badRequest(res, (e as TcbError).code, (e as Error).message);
    }
  }
  if (req.method === 'GET' && p === '/__emulator/faults') return sendJson(res, 200, { faults: state.faults.current(), injected: state.faults.injected() });
  if (req.method === 'GET' && p === '/__emulator/logs') {
    const q = url.searchParams;
    const num = (k: string) => (q.get(k) === null ? undefined : Number(q.get(k)));
    const [after, limit] = [num('after'), num('limit')];
    if ((after !== undefined && !Number.isInteger(after)) || (limit !== undefined && !(Number.isInteger(limit) && limit > 0))) return badRequest(res, 'INVALID_PARAM', 'after and limit must be whole numbers');
    const entries = state.logs.list({ function: q.get('function') ?? undefined, after, limit });
    return sendJson(res, 200, { logs: entries, functions: state.logs.functions(), last: state.logs.lastSeq });
  }
  if (req.method === 'POST' && p === '/__emulator/reload') {
    const names = (parseJson(body) as { functions?: unknown } | undefined)?.functions;
    if (names !== undefined && (!Array.isArray(names) || !names.every((n) => typeof n === 'string'))) return badRequest(res, 'INVALID_PARAM', 'functions must be an array of function names (omit it for all)');
    return sendJson(res, 200, { reloaded: state.host.reload(names as string[] | undefined) });
  }
  const trig = /^\/__emulator\/trigger\/([^/]+)$/.exec(p);
  if (req.method === 'POST' && trig) return triggerTimer(state, decodeURIComponent(trig[1]), res);
  const platformReply = await routePlatform(state.platform, req.method ?? 'GET', url, parseJson(body));
  if (platformReply) return sendJson(res, platformReply.status, platformReply.json);
  const target = matchRoute(state.routes, p);
  if (target) {
    const reply = replyFromOutcome(await state.host.invoke(target, integrationEvent(req, url, body, state.envId), { source: '' }));
    res.writeHead(reply.status, { ...reply.headers, 'content-length': reply.body.length });
    return void res.end(reply.body);
  }
  sendJson(res, 404, { code: 'NOT_FOUND', message: `no emulator endpoint or HTTP access route for ${req.method} ${p}` });
}

export function createApp(state: AppState): RequestListener {
  return (req, res) => {
    route(state, req, res).catch((e: Error) => {
      if (!res.headersSent) sendJson(res, 500, { code: 'EMULATOR_ERROR', message: e.message });
      else res.destroy();
    });
  };
}
