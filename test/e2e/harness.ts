/**
 * End-to-end harness: the real local stack (simulator + CloudBase emulator + esbuild-built
 * functions) on 127.0.0.1 with free ports and a temp data dir, driven only through its HTTP
 * interfaces — the way a mini-program, WeChat Pay and a developer reach it.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../scripts/local/stack';
import { seedRunCredentials } from '../support/run-credentials';

export interface Harness {
  stack: LocalStack;
  /** Every log line of the functions and the emulator, captured instead of printed. */
  logs: string[];
  call<T = any>(name: string, data: unknown, openid: string): Promise<T>;
  sim<T = any>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  trigger(name: string): Promise<any>;
  order(outTradeNo: string): Promise<any>;
  waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

async function json(response: Response): Promise<any> {
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

export async function startHarness(options: LocalStackOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-e2e-'));
  seedRunCredentials(dataDir);
  const logs: string[] = [];
  const stack = await startLocalStack({
    dataDir,
    cloudbasePort: 0,
    simulatorPort: 0,
    timers: false,
    timeScale: 1000,
    log: (line) => logs.push(line),
    ...options,
    // The timer's default 2 s wall-clock budget can run out on a loaded machine before it reaches
    // the order a test expects it to handle; tests that are about the budget set their own.
    functionEnv: { RECONCILE_MIN_AGE_SECONDS: '0', RECONCILE_TIME_BUDGET_MS: '60000', ...options.functionEnv },
  });
  const harness: Harness = {
    stack,
    logs,
    async call(name, data, openid) {
      const res = await fetch(`${stack.cloudbaseUrl}/functions/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data, openid }),
      });
      const payload = await json(res);
      if (payload?.errCode !== undefined && payload.errCode !== 0) throw new Error(`callFunction ${name} failed: ${payload.errMsg}`);
      return payload.result;
    },
    async sim(method, path, body) {
      const res = await fetch(`${stack.simulatorUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return json(res);
    },
    async trigger(name) {
      const res = await fetch(`${stack.cloudbaseUrl}/__emulator/trigger/${name}`, { method: 'POST' });
      return json(res);
    },
    async order(outTradeNo) {
      const [doc] = await stack.admin.find('orders', { _id: outTradeNo });
      return doc;
    },
    async waitFor(what, probe, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe();
        if (value) return value as never;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * One stack for a test file: `start` runs before the file's tests (and keeps its harness wherever the
 * caller wants it), the stack is closed after them; with resetSimFaults the simulator's faults are
 * cleared after each test.
 */
export function harnessPerFile(start: () => Promise<Harness>, opts: { resetSimFaults?: boolean; timeoutMs?: number } = {}): void {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await start();
  }, opts.timeoutMs);
  afterAll(async () => {
    await harness?.close();
  });
  if (opts.resetSimFaults) {
    afterEach(async () => {
      await harness?.sim('POST', '/__sim/faults', {});
    });
  }
}
