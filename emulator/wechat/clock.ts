// Two clocks on purpose. Business time (`now`) can be advanced by tests to expire prepays and walk
// the notification schedule; the wire clock (`wallNow`) stays real so that clients signing with
// real time keep passing the 5-minute Authorization check after an advance.
export interface SimClock {
  /** Business time, ms epoch: base clock + advanced offset. */
  now(): number;
  /** The clock used for signature timestamps and the Authorization skew check. */
  wallNow(): number;
  advance(ms: number): void;
  reset(): void;
  readonly offsetMs: number;
}

export function createClock(base: () => number = Date.now): SimClock {
  let offset = 0;
  return {
    now: () => base() + offset,
    wallNow: () => base(),
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('clock can only move forward by a finite number of ms');
      offset += ms;
    },
    reset() {
      offset = 0;
    },
    get offsetMs() {
      return offset;
    },
  };
}

// Times on the wire are written by lib/wechatpay/time.ts formatWechatTime (the client's own formatter).

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** ms epoch, or undefined when the string is not RFC3339 with an explicit offset. */
export function parseRfc3339(value: string): number | undefined {
  if (!RFC3339.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
