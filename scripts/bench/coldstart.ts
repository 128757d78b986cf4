/**
 * Cold start of a cloud function: the time for a fresh Node process to load its index.js, for the
 * two upload shapes WeChat DevTools offers — fully bundled (wx-server-sdk inside, "upload all
 * files") versus wx-server-sdk external (installed in the cloud, resolved from node_modules).
 * This decided the build: see README "Build and deploy shape".
 */
import { build } from 'esbuild';
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { FUNCTIONS_DIR, REPO_ROOT } from '../build/functions';
import { markdownTable, recordBench } from './peers';

const RUNS = 15;
const LOADER = 'const t=process.hrtime.bigint();require(process.argv[1]);process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(file: string): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, ['-e', LOADER, file], { env: { ...process.env, NODE_PATH: join(REPO_ROOT, 'node_modules') } });
    samples.push(Number(out.toString()));
  }
  return median(samples);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-coldstart-'));
  try {
    const entry = join(FUNCTIONS_DIR, 'createOrder', 'index.ts');
    const common = { entryPoints: [entry], bundle: true, platform: 'node' as const, target: 'node16', format: 'cjs' as const, minify: true, logLevel: 'error' as const };
    await build({ ...common, outfile: join(dir, 'bundled.js'), external: ['supports-color'] });
    await build({ ...common, outfile: join(dir, 'external.js'), external: ['supports-color', 'wx-server-sdk'] });
    const bundled = measure(join(dir, 'bundled.js'));
    const external = measure(join(dir, 'external.js'));
    console.log(`createOrder module load, median of ${RUNS} fresh processes:`);
    console.log(`  fully bundled (wx-server-sdk inside)   ${bundled.toFixed(1)} ms`);
    console.log(`  wx-server-sdk external (node_modules)  ${external.toFixed(1)} ms`);
    console.log(`  ratio external / bundled               ${(external / bundled).toFixed(2)}x`);
    recordBench('coldstart', { runs: RUNS, bundledMs: bundled, externalMs: external }, `${markdownTable(['createOrder module load (median of fresh processes)', 'ms'], [
      ['fully bundled (wx-server-sdk inside)', bundled.toFixed(1)],
      ['wx-server-sdk external (node_modules)', external.toFixed(1)],
      ['ratio external / bundled', `${(external / bundled).toFixed(2)}×`],
    ])}\n\n${RUNS} fresh processes each.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
