// Seeded PRNG (mulberry32), shared by the emulators, so that fault injection and chaos runs are
// reproducible: same seed, same faults.
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** true with probability p (p <= 0 never draws a number: a fault set to 0 costs no entropy). */
  chance(p: number): boolean;
  /** Integer in [0, n). */
  int(n: number): number;
}

export function createPrng(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p) => (p <= 0 ? false : p >= 1 ? true : next() < p),
    int: (n) => Math.floor(next() * n),
  };
}
