/**
 * The chaos run's only way into the stack: plain HTTP, as a mini-program, WeChat Pay or an operator
 * reaches it. Transport failures (the emulator was just SIGKILLed) and retryable answers are
 * retried with a bounded backoff, like a patient client; everything else is returned as is.
 */
export type CallOutcome<T> = { ok: true; value: T } | { ok: false; reason: string; error?: { code: string; wxErrcode?: number; retryable?: boolean } };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** No control or function call of the run waits longer than this for its answer (functions time out at 20 s). */
export const ANSWER_TIMEOUT_MS = 60_000;

async function answered(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') throw new Error(`${init.method ?? 'GET'} ${url}: no answer within ${ANSWER_TIMEOUT_MS / 1000} s`);
    throw err;
  }
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await answered(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

export async function getJson(url: string): Promise<any> {
  const res = await answered(url, {});
  return res.json();
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

export const PATIENT: RetryPolicy = { attempts: 40, baseDelayMs: 50 };

/**
 * Calls a function as wx.cloud.callFunction would. Retries while the answer is a transport error,
 * a platform error (errCode) or `{error: {retryable: true}}`; a non-retryable error is returned.
 * `onAttempt` sees every raw answer (secret hygiene captures them all).
 */
export async function callFunction<T = any>(
  cloudbaseUrl: string,
  name: string,
  data: unknown,
  openid: string,
  policy: RetryPolicy = PATIENT,
  onAttempt?: (raw: string) => void,
): Promise<CallOutcome<T>> {
  let reason = 'no attempt made';
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    if (attempt > 0) await sleep(Math.min(1000, policy.baseDelayMs * 2 ** Math.min(attempt, 5)));
    try {
      const res = await answered(`${cloudbaseUrl}/functions/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data, openid }),
      });
      const text = await res.text();
      onAttempt?.(text);
      const payload = JSON.parse(text);
      if (payload.errCode !== undefined && payload.errCode !== 0) {
        reason = `errCode ${payload.errCode}`;
        continue;
      }
      const result = payload.result;
      if (result?.error) {
        reason = result.error.code;
        if (result.error.retryable) continue;
        return { ok: false, reason, error: result.error };
      }
      return { ok: true, value: result as T };
    } catch (err) {
      reason = `transport: ${(err as Error).message}`;
    }
  }
  return { ok: false, reason };
}

/** Retries an operator action (admin wire, control endpoint) through restarts and write faults. */
export async function persist<T>(what: string, fn: () => Promise<T>, policy: RetryPolicy = PATIENT): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    if (attempt > 0) await sleep(Math.min(1000, policy.baseDelayMs * 2 ** Math.min(attempt, 5)));
    try {
      return await fn();
    } catch (err) {
      last = err;
    }
  }
  throw new Error(`${what} kept failing: ${(last as Error)?.message ?? last}`);
}
