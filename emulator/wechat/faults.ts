// Fault injection settings. All randomness comes from the state's seeded PRNG, so a run with the same
// seed and the same sequence of events injects the same faults.
import { SimError } from './errors';

export interface Faults {
  /** Probability that a delivery attempt is lost in transit (counted as failed, so it is retried). */
  dropNotifications?: number;
  /** Copies sent per attempt (>= 1); the attempt counts as delivered when any copy gets a 2xx. */
  duplicateNotifications?: number;
  /** Send the copies at the same time instead of one after another. */
  concurrentDuplicates?: boolean;
  /** Extra business-clock delay before the first attempt, in ms. */
  notificationDelayMs?: number;
  /** Each first attempt waits a random 0..N ms more, so notifications can overtake each other. */
  reorderWindowMs?: number;
  /** Send a WECHATPAY/SIGNTEST/ probe before every attempt (the real copy follows). */
  signProbe?: boolean;
  /** Probability that an attempt is corrupted: its signature breaks, or its ciphertext is altered
   *  and re-signed (so only the GCM check catches it). */
  corruptNotifications?: number;
  corruptMode?: 'signature' | 'ciphertext';
  /** Probability that a /v3 API call answers 500 SYSTEM_ERROR (before touching state). */
  systemErrorRate?: number;
  /** Probability that a /v3 API call answers 429 FREQUENCY_LIMITED (before touching state). */
  frequencyLimitRate?: number;
  /** Added to every /v3 API response, real ms. */
  latencyMs?: number;
  /** Outcome of refunds created from now on (default SUCCESS). */
  refundOutcome?: 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
}

type Check = (v: unknown) => boolean;
const prob: Check = (v) => typeof v === 'number' && v >= 0 && v <= 1;
const nonNegInt: Check = (v) => Number.isInteger(v) && (v as number) >= 0;
const CHECKS: Record<keyof Faults, [Check, string]> = {
  dropNotifications: [prob, 'a probability 0..1'],
  duplicateNotifications: [(v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 20, 'an integer 1..20'],
  concurrentDuplicates: [(v) => typeof v === 'boolean', 'a boolean'],
  notificationDelayMs: [nonNegInt, 'an integer >= 0'],
  reorderWindowMs: [nonNegInt, 'an integer >= 0'],
  signProbe: [(v) => typeof v === 'boolean', 'a boolean'],
  corruptNotifications: [prob, 'a probability 0..1'],
  corruptMode: [(v) => v === 'signature' || v === 'ciphertext', '"signature" or "ciphertext"'],
  systemErrorRate: [prob, 'a probability 0..1'],
  frequencyLimitRate: [prob, 'a probability 0..1'],
  latencyMs: [(v) => nonNegInt(v) && (v as number) <= 60_000, 'an integer 0..60000'],
  refundOutcome: [(v) => v === 'SUCCESS' || v === 'ABNORMAL' || v === 'CLOSED', 'SUCCESS, ABNORMAL or CLOSED'],
};

/** Validates a whole fault object; `{}` means no faults. Unknown keys are refused so typos show. */
export function parseFaults(input: unknown): Faults {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new SimError(400, 'PARAM_ERROR', 'faults must be a JSON object ({} clears every fault)');
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'seed') continue; // handled by the control endpoint
    const check = (CHECKS as Record<string, [Check, string]>)[key];
    if (!check) throw new SimError(400, 'PARAM_ERROR', `unknown fault "${key}"; known: ${Object.keys(CHECKS).join(', ')}`);
    if (!check[0](value)) throw new SimError(400, 'PARAM_ERROR', `fault ${key} must be ${check[1]}`);
    out[key] = value;
  }
  return out as Faults;
}

/** How many faults of each API kind were actually injected (GET /__sim/faults `injected`). */
export interface FaultCounts {
  /** /v3 calls answered 500 SYSTEM_ERROR. */
  systemError: number;
  /** /v3 calls answered 429 FREQUENCY_LIMITED. */
  frequencyLimited: number;
  /** /v3 answers delayed by `latencyMs`. */
  latencyAdded: number;
}

// Keyed by the fault set itself: installing a new set (POST /__sim/faults, reset) starts from zero,
// so the counts always describe the faults in force, without another field on the state.
const counts = new WeakMap<Faults, FaultCounts>();

export function injectedCounts(faults: Faults): FaultCounts {
  let c = counts.get(faults);
  if (!c) counts.set(faults, (c = { systemError: 0, frequencyLimited: 0, latencyAdded: 0 }));
  return c;
}

/** The latency to add to a /v3 answer (counted when > 0). */
export function apiLatency(faults: Faults): number {
  const ms = faults.latencyMs ?? 0;
  if (ms > 0) injectedCounts(faults).latencyAdded += 1;
  return ms;
}

/** Draws the gateway failure for one /v3 call, if any, and counts it. */
export function drawApiFault(faults: Faults, prng: { chance(p: number): boolean }): { status: number; code: string; message: string } | undefined {
  if (prng.chance(faults.systemErrorRate ?? 0)) {
    injectedCounts(faults).systemError += 1;
    return { status: 500, code: 'SYSTEM_ERROR', message: '系统错误' };
  }
  if (prng.chance(faults.frequencyLimitRate ?? 0)) {
    injectedCounts(faults).frequencyLimited += 1;
    return { status: 429, code: 'FREQUENCY_LIMITED', message: '频率超限' };
  }
  return undefined;
}
