/**
 * `npm run bench [-- name…]`: runs every scripts/bench/<name>.ts (or only the named ones), one after
 * another, each in its own process so one bench's warm JIT, caches or open handles cannot skew the next.
 * A bench is any script that prints its own results when executed (`npx tsx scripts/bench/<name>.ts`).
 * Benchmarks live here, never in tests: timing assertions in tests are flaky by nature.
 */
import { spawnSync } from 'child_process';
import { readdirSync } from 'fs';
import { join } from 'path';

const BENCH_DIR = join(__dirname, 'bench');

function main(): number {
  const wanted = process.argv.slice(2);
  const available = readdirSync(BENCH_DIR)
    .map((f) => /^(.+)\.ts$/.exec(f)?.[1])
    .filter((name): name is string => !!name)
    .sort();
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length) {
    console.error(`no scripts/bench/${unknown[0]}.ts (available: ${available.join(', ')})`);
    return 2;
  }
  const tsx = require.resolve('tsx/cli');
  let failed = 0;
  for (const name of wanted.length ? wanted : available) {
    console.log(`\n== bench ${name} ==`);
    const res = spawnSync(process.execPath, [tsx, join(BENCH_DIR, `${name}.ts`)], { stdio: 'inherit' });
    if (res.status !== 0) {
      console.error(`bench ${name} failed (exit ${res.status ?? res.signal})`);
      failed++;
    }
  }
  return failed ? 1 : 0;
}

process.exit(main());
