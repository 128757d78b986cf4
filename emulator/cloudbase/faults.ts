/**
 * Fault injection for chaos runs: with probability `writeFailureRate` a database write fails
 * before touching anything, answering the real error shape (code DATABASE_REQUEST_FAILED, which
 * wx-server-sdk surfaces as errCode -502001). Seeded so a failing run can be replayed.
 */
import { TCB_CODES, TcbError, invalidParam } from './errors';

export interface FaultConfig {
  writeFailureRate?: number;
  seed?: number;
}

export class Faults {
  private rate = 0;
  private state = 1;

  configure(body: unknown): FaultConfig {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidParam('faults body must be a JSON object');
    const { writeFailureRate, seed } = body as FaultConfig;
    if (writeFailureRate !== undefined && (typeof writeFailureRate !== 'number' || !(writeFailureRate >= 0 && writeFailureRate <= 1))) {
      throw invalidParam('writeFailureRate must be a number between 0 and 1');
    }
    if (seed !== undefined && !Number.isInteger(seed)) throw invalidParam('seed must be an integer');
    this.rate = writeFailureRate ?? 0;
    this.state = (seed ?? Date.now()) >>> 0 || 1;
    return { writeFailureRate: this.rate, ...(seed !== undefined ? { seed } : {}) };
  }

  /** Throws the injected failure (or not). Call before any write is applied. */
  beforeWrite(action: string): void {
    if (this.rate > 0 && this.next() < this.rate) {
      throw new TcbError(TCB_CODES.DATABASE_REQUEST_FAILED, `[InternalError] ${action} failed (fault injected by the emulator). Please retry.`);
    }
  }

  /** mulberry32: tiny, seedable, good enough for picking failures. */
  private next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
