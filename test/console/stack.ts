/** The real local stack (test/e2e harness) with its web console, all on free ports. */
import type { LocalStackOptions } from '../../scripts/local/stack';
import { startHarness, type Harness } from '../e2e/harness';

export const CONSOLE_STAFF = 'o-console-staff-1';

export interface ConsoleFixture {
  harness: Harness;
  console: { url: string };
  close(): Promise<void>;
}

export async function startConsoleFixture(functionEnv: Record<string, string> = {}, stack: Pick<LocalStackOptions, 'refundDelaySeconds'> = {}): Promise<ConsoleFixture> {
  // Real-time retry schedule: a failed notification waits 15 s, long enough to see it pending.
  // A staff openid, so tests can make refunds through refundOrder (the function's own allowlist).
  // Functions get the 20 s our deploy gives every function (scripts/deploy/config.ts), like the other
  // stack tests: at the platform's 3 s default, a refundOrder whose FREQUENCY_LIMITED retries ran on
  // a fully loaded CI machine timed out (console/refund.browser, fresh clone at 8d0e2fd).
  const harness = await startHarness({ ...stack, timeScale: 1, console: 0, functionTimeoutMs: 20_000, functionEnv: { REFUND_ADMIN_OPENIDS: CONSOLE_STAFF, ...functionEnv } });
  if (!harness.stack.consoleUrl) throw new Error('the stack did not start its console');
  return { harness, console: { url: harness.stack.consoleUrl }, close: () => harness.close() };
}

/**
 * WeChat Pay finishes the refunds it is processing now: the simulator's business time moves on by its
 * refund delay (5 s, real time on this stack) through POST /__sim/clock, and the completions fire. A
 * test that has seen a refund PROCESSING gets on with it instead of waiting the 5 s out.
 */
export async function finishRefunds(fx: ConsoleFixture): Promise<void> {
  const { refundDelaySeconds, timeScale } = fx.harness.stack.simulator.state;
  await fx.harness.sim('POST', '/__sim/clock', { advanceSeconds: refundDelaySeconds / timeScale });
}

/** A JSON call to the console's API at `base`: the status and the parsed body (undefined when empty). */
export async function consoleApi(base: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, { method, headers: method === 'POST' ? { 'content-type': 'application/json' } : {}, body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** The stack with its console for one test file: started before the file's tests (`ready` gets it), closed after them. */
export function consolePerFile(ready: (fx: ConsoleFixture) => void, functionEnv: Record<string, string> = {}): void {
  let fx: ConsoleFixture | undefined;
  beforeAll(async () => {
    fx = await startConsoleFixture(functionEnv);
    ready(fx);
  }, 60_000);
  afterAll(() => fx?.close());
}
