/**
 * Fault injection for chaos runs: with probability `writeFailureRate` a database write fails
 * before touching anything, answering the real error shape (code DATABASE_REQUEST_FAILED, which
 * wx-server-sdk surfaces as errCode -502001). Seeded so a failing run can be replayed.
 */
import { createPrng, type Prng } from '../shared/prng';
import { TCB_CODES, TcbError, invalidParam } from './errors';

export interface FaultConfig {
  writeFailureRate?: number;
  seed?: number;
}

/** What was actually injected since the last configure (GET /__emulator/faults `injected`). */
export interface FaultCounts {
  writeFailures: number;
}

export class Faults {
  private rate = 0;
  private prng: Prng = createPrng(1);
  private seed: number | undefined;
  private writeFailures = 0;

  configure(body: unknown): FaultConfig {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidParam('faults body must be a JSON object');
    const { writeFailureRate, seed } = body as FaultConfig;
    if (writeFailureRate !== undefined && (typeof writeFailureRate !== 'number' || !(writeFailureRate >= 0 && writeFailureRate <= 1))) {
      throw invalidParam('writeFailureRate must be a number between 0 and 1');
    }
    if (seed !== undefined && !Number.isInteger(seed)) throw invalidParam('seed must be an integer');
    this.rate = writeFailureRate ?? 0;
    this.prng = createPrng((seed ?? Date.now()) >>> 0 || 1);
    this.seed = seed;
    // Counts describe the configuration in force, like the simulator's.
    this.writeFailures = 0;
    return this.current();
  }

  current(): FaultConfig {
    return { writeFailureRate: this.rate, ...(this.seed !== undefined ? { seed: this.seed } : {}) };
  }

  injected(): FaultCounts {
    return { writeFailures: this.writeFailures };
  }

  /** Throws the injected failure (or not). Call before any write is applied. */
  beforeWrite(action: string): void {
    if (this.rate > 0 && this.prng.next() < this.rate) {
      this.writeFailures += 1;
      throw new TcbError(TCB_CODES.DATABASE_REQUEST_FAILED, `[InternalError] ${action} failed (fault injected by the emulator). Please retry.`);
    }
  }
}
