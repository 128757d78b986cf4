// Shared test plumbing: a simulator on port 0 and a raw signed requester built on lib/wechatpay's
// signer, so tests can also send deliberately broken requests.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildAuthorization, verifyWechatpaySignature } from '../../lib/wechatpay';
import type { DevCredentials } from '../../emulator/credentials';
import { runCredentials } from '../support/run-credentials';
import { startWechatSimulator, type WechatSimulator, type WechatSimulatorOptions } from '../../emulator/wechat';
import { activeKeys } from '../../emulator/wechat/platform';

// RSA key generation is slow-ish: the run's merchant (run-credentials.ts), read once per test file.
let cached: DevCredentials | undefined;
export function testCredentials(): DevCredentials {
  return (cached ??= runCredentials());
}

export async function startSim(opts: WechatSimulatorOptions = {}): Promise<WechatSimulator> {
  return startWechatSimulator({ port: 0, credentials: testCredentials(), seed: 42, ...opts });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface SignOverrides {
  /** What goes into the signature (default: the body actually sent). */
  signedBody?: string;
  timestamp?: string | number;
  serialNo?: string;
  privateKey?: string;
  mchid?: string;
  authorization?: string | null;
  contentType?: string;
  /** Extra request headers (e.g. Wechatpay-Serial). */
  headers?: Record<string, string>;
}

export async function signedRequest(sim: WechatSimulator, method: string, path: string, body?: unknown, o: SignOverrides = {}): Promise<RawResponse> {
  const c = sim.credentials;
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const authorization =
    o.authorization === undefined
      ? buildAuthorization({
          method, url: path, body: o.signedBody ?? text, mchid: o.mchid ?? c.mchid, serialNo: o.serialNo ?? c.merchant.serialNo,
          privateKey: o.privateKey ?? c.merchant.privateKey, timestamp: o.timestamp,
        })
      : o.authorization;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (authorization !== null) headers.Authorization = authorization;
  if (text) headers['Content-Type'] = o.contentType ?? 'application/json';
  Object.assign(headers, o.headers);
  return rawFetch(`${sim.url}${path}`, { method, headers, body: text || undefined });
}

export async function rawFetch(url: string, init: RequestInit = {}): Promise<RawResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers, text, json };
}

export async function control(sim: WechatSimulator, method: string, path: string, body?: unknown): Promise<RawResponse> {
  return rawFetch(`${sim.url}/__sim${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Verify a /v3 response the way a merchant must: over the raw text with the platform key. */
export function verifyResponse(sim: WechatSimulator, r: RawResponse): void {
  const keys = Object.fromEntries(activeKeys(sim.state.platform).map((k) => [k.serial, k.publicKeyPem]));
  verifyWechatpaySignature({ headers: r.headers, body: r.text }, { publicKeys: keys });
}

export function prepayBody(sim: WechatSimulator, outTradeNo: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    appid: sim.credentials.appid, mchid: sim.credentials.mchid, description: 'Test goods', out_trade_no: outTradeNo,
    notify_url: 'https://notify.local.test/pay/notify', amount: { total: 100, currency: 'CNY' }, payer: { openid: 'o-test-openid' },
    ...extra,
  };
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A merchant notify endpoint on 127.0.0.1; `answer` decides the status per request (default 204). */
export async function startReceiver(answer: (r: Received, n: number) => number | Promise<number> = () => 204): Promise<{ url: string; received: Received[]; close(): Promise<void>; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      const status = await answer(r, received.length);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(status >= 300 ? JSON.stringify({ code: 'FAIL', message: 'no' }) : '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, received, server,
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
export type ReceiverAnswer = (r: Received, n: number) => number | Promise<number>;

/**
 * One simulator per test file whose notify_url (https://notify.local.test) is redirected to a local
 * receiver: started before the file, closed after it, and before each test the simulator's state
 * reset, nothing received and the receiver answering 204 again. Tests read `world.sim` and
 * `world.receiver` and may set `world.answer`.
 */
export function simWithReceiver(opts: WechatSimulatorOptions = {}): { sim: WechatSimulator; receiver: Receiver; answer: ReceiverAnswer } {
  const world = { sim: undefined as unknown as WechatSimulator, receiver: undefined as unknown as Receiver, answer: (() => 204) as ReceiverAnswer };
  beforeAll(async () => {
    world.receiver = await startReceiver((r, n) => world.answer(r, n));
    world.sim = await startSim({ ...opts, notifyRedirects: { 'https://notify.local.test': world.receiver.url, ...opts.notifyRedirects } });
  });
  afterAll(async () => {
    await world.sim?.close();
    await world.receiver?.close();
  });
  beforeEach(() => {
    world.sim.state.reset();
    world.receiver.received.length = 0;
    world.answer = () => 204;
  });
  return world;
}
