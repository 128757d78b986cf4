/**
 * The local console: a small HTTP server on 127.0.0.1 that serves the bundled front end and a JSON
 * API composed only from the stack's documented interfaces (see upstream.ts). Started by the local
 * stack (`npm start` prints its URL); tests start it on port 0.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApi, ConsoleError, KNOWN_COLLECTIONS, type ApiHandler } from './api';
import { fontAsset, loadAssets } from './assets';
import type { Emulator } from '../shared/emulator';
import { refuseCrossSite } from '../shared/guard';
import { DEFAULT_PORTS } from '../shared/ports';
import { createLive } from './live';
import { createUpstream, type UpstreamOptions } from './upstream';
import { COLLECTIONS } from '../../lib/store/collections';

export interface ConsoleOptions extends UpstreamOptions {
  port?: number;
  host?: string;
  /** The dev APIv3 key: opens notification payloads server-side. Never sent to the browser. */
  apiV3Key: string;
  /** Public facts shown in the header (appid, mchid…); must not hold secrets. */
  info?: Record<string, unknown>;
  pollMs?: number;
}

export interface ConsoleServer extends Emulator {
  readonly name: 'console';
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_CONSOLE_PORT = DEFAULT_PORTS.console;
const MAX_BODY = 64 * 1024;

interface Route {
  method: string;
  pattern: RegExp;
  handler: ApiHandler;
}

function compile(api: Record<string, ApiHandler>): Route[] {
  return Object.entries(api).map(([key, handler]) => {
    const [method, path] = key.split(' ');
    return { method, pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '([^/]+)')}$`), handler };
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ConsoleError(413, 'BODY_TOO_LARGE', `request body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ConsoleError(400, 'INVALID_JSON', 'the request body must be a JSON object');
}

export async function startConsole(opts: ConsoleOptions): Promise<ConsoleServer> {
  const upstream = createUpstream(opts);
  const routes = compile(createApi({ upstream, apiV3Key: opts.apiV3Key, info: { envId: opts.envId, ...opts.info } }));
  const assets = await loadAssets();
  // What moves when anything happens: document counts, order, refund and bill-day states, deliveries, the ledger, faults, the platform's orders.
  const live = createLive(async () => {
    const [counts, orders, refunds, bills, notes, ledger, faults, platform] = await Promise.all([
      Promise.all(KNOWN_COLLECTIONS.map((c) => upstream.admin.count(c))),
      upstream.admin.find('orders', {}, { limit: 1000 }),
      upstream.admin.find('refunds', {}, { limit: 1000 }),
      upstream.admin.find(COLLECTIONS.billReconciliations, {}, { limit: 1000 }),
      upstream.sim('GET', '/notifications'),
      upstream.sim('GET', '/transactions'),
      upstream.sim('GET', '/faults'),
      upstream.platform('GET', '/orders'),
    ]);
    const states = (docs: Array<Record<string, unknown>>) => docs.map((d) => [d._id, d.status, d.updatedAt]);
    return { counts, orders: states(orders), refunds: states(refunds), bills: states(bills), notifications: notes.body, ledger: ledger.body, faults: faults.body, platform: platform.body };
  }, opts.pollMs);

  const server = createServer((req, res) => {
    const refused = refuseCrossSite(req, { service: 'the console' });
    if (refused) return sendJson(res, refused.status, { error: { code: refused.code, message: refused.message } });
    const url = new URL(req.url ?? '/', 'http://console.local');
    const method = req.method ?? 'GET';
    const asset = method === 'GET' ? assets[url.pathname] ?? fontAsset(url.pathname) : undefined;
    if (asset) {
      const a = asset;
      res.writeHead(200, { 'content-type': a.type, 'cache-control': 'no-store' });
      return res.end(a.body);
    }
    if (method === 'GET' && url.pathname === '/api/events') return live.subscribe(res);
    const candidates = routes.filter((r) => r.pattern.test(url.pathname));
    const route = candidates.find((r) => r.method === method);
    if (!route) {
      const [status, code] = candidates.length ? [405, 'METHOD_NOT_ALLOWED'] : [404, 'NOT_FOUND'];
      return sendJson(res, status, { error: { code, message: `${method} ${url.pathname}` } });
    }
    const params = route.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
    readJson(req)
      .then((body) => route.handler({ params, query: url.searchParams, body }))
      .then((r) => {
        sendJson(res, r.status, r.body);
        if (method === 'POST') live.poke();
      })
      .catch((err: unknown) => {
        if (err instanceof ConsoleError) return sendJson(res, err.status, { error: { code: err.code, message: err.message } });
        sendJson(res, 502, { error: { code: 'UPSTREAM_FAILED', message: (err as Error).message } });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_CONSOLE_PORT, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    name: 'console',
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        live.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
