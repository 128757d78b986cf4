/**
 * `npm run chaos -- --orders N --seed S [--concurrency C] [--kills K]`: the payment loop under a
 * seeded fault mix (see scripts/chaos/run.ts), checked against the simulator's ledger; then
 * fulfilment under the mini-program platform's faults, checked against the platform's records, and
 * the bill reconciliation of the run's days. Prints a table; exits 1 on any violation.
 */
import { formatReport } from './chaos/report';
import { runChaos } from './chaos/run';

function intArg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} expects a whole number (got "${args[i + 1]}")`);
  return value;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const known = new Set(['--orders', '--seed', '--concurrency', '--kills']);
  const unknown = args.filter((a, i) => a.startsWith('--') && !known.has(a) && i >= 0);
  if (unknown.length) throw new Error(`unknown option ${unknown[0]} (known: ${[...known].join(', ')})`);
  const orders = intArg(args, 'orders', 200);
  const report = await runChaos({
    orders,
    seed: intArg(args, 'seed', 1),
    concurrency: intArg(args, 'concurrency', 32),
    kills: intArg(args, 'kills', orders >= 1000 ? 2 : 1),
    progress: (m) => process.stderr.write(`chaos: ${m}\n`),
  });
  console.log(formatReport(report));
  return report.violations.length > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (err: Error) => {
  console.error(`chaos: ${err.message}`);
  process.exit(2);
});
