/**
 * Cold start end to end (coldstart.ts measures module load alone): a fresh Node process → the first completed createOrder (order written in the CloudBase
 * emulator, prepay from the WeChat Pay simulator, paySign), for the esbuild bundle vs the same
 * function unbundled (every lib/ file transpiled one to one, wx-server-sdk and bson from node_modules).
 * Also the bundle sizes of every function. Median of BENCH_COLDSTART_RUNS (default 7) fresh processes each.
 */
import { spawn } from 'child_process';
import { build } from 'esbuild';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { performance } from 'perf_hooks';
import { sdkEnvFor } from '../../emulator/cloudbase';
import { buildFunctions, FUNCTIONS_DIR, REPO_ROOT } from '../build/functions';
import { startLocalStack } from '../local/stack';
import { markdownTable, recordBench } from './peers';

const RUNS = Number(process.env.BENCH_COLDSTART_RUNS ?? 7);

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The unbundled variant: lib/** and the function's index.ts transpiled file by file, same layout. */
async function buildUnbundled(outdir: string): Promise<string> {
  await build({ entryPoints: [...tsFiles(join(REPO_ROOT, 'lib')), join(FUNCTIONS_DIR, 'createOrder', 'index.ts')], outdir, outbase: REPO_ROOT, bundle: false, platform: 'node', target: 'node16', format: 'cjs', logLevel: 'error' });
  return join(outdir, 'cloudfunctions', 'createOrder', 'index.js');
}

/** Spawn → require → main() → the answer printed; the time the parent sees. */
function coldCall(entry: string, env: Record<string, string>, openid: string, key: string): Promise<number> {
  const script = `const t=Date.now();const m=require(${JSON.stringify(entry)});m.main({items:[{productId:'tea',quantity:1}],clientOrderKey:${JSON.stringify(key)}},{}).then(r=>{if(!r||r.error||!r.payment)throw new Error(JSON.stringify(r));process.stdout.write('ok '+(Date.now()-t));process.exit(0)},e=>{console.error(e);process.exit(1)})`;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '', NODE_PATH: join(REPO_ROOT, 'node_modules'), ...env, WX_OPENID: openid, WX_APPID: env.WX_APPID, WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID', TCB_SOURCE: 'wx_client', TCB_CONTEXT_KEYS: 'TCB_ENV,TCB_SEQID,TCB_SOURCE' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) => (code === 0 && /ok \d+$/.test(out) ? resolve(performance.now() - t0) : reject(new Error(`cold call failed: ${err.slice(-900)}`))));
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-bench-cold-'));
  const outdir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-bench-unbundled-'));
  const built = await buildFunctions();
  const stack = await startLocalStack({ dataDir, cloudbasePort: 0, simulatorPort: 0, build: false, log: () => undefined });
  try {
    const unbundled = await buildUnbundled(outdir);
    const env = { ...sdkEnvFor(`${stack.cloudbaseUrl}/admin`, stack.envId), TCB_ENV: stack.envId, SCF_NAMESPACE: stack.envId, ...stack.functionEnv };
    const bundle = join(FUNCTIONS_DIR, 'createOrder', 'index.js');
    const times = { bundled: [] as number[], unbundled: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      // Alternate, so machine load drifts hit both alike.
      times.bundled.push(await coldCall(bundle, env, `oCOLD${i}`, `cold-b-${i}`));
      times.unbundled.push(await coldCall(unbundled, env, `oCOLD${i}`, `cold-u-${i}`));
    }
    const b = median(times.bundled);
    const u = median(times.unbundled);
    const unbundledBytes = tsFiles(join(REPO_ROOT, 'lib')).reduce((s, f) => s + statSync(join(outdir, relative(REPO_ROOT, f)).replace(/\.ts$/, '.js')).size, 0);
    console.log(`fresh process → first createOrder done (median of ${RUNS}): bundle ${b.toFixed(0)} ms, unbundled ${u.toFixed(0)} ms → bundle/unbundled ${(b / u).toFixed(2)}×`);
    console.log(`(the unbundled variant also loads wx-server-sdk's ${'node_modules'} tree; its own transpiled lib/ is ${(unbundledBytes / 1024).toFixed(0)} KiB)`);
    for (const f of built) console.log(`bundle ${f.name.padEnd(14)} ${(f.bytes / 1024).toFixed(0).padStart(6)} KiB`);
    const md = `${markdownTable(['variant', 'cold start → first createOrder (median)', 'runs'], [['esbuild bundle', `${b.toFixed(0)} ms`, RUNS], ['unbundled (lib transpiled 1:1 + node_modules)', `${u.toFixed(0)} ms`, RUNS], ['ratio bundle / unbundled', `${(b / u).toFixed(2)}×`, '']])}\n\n`
      + markdownTable(['function', 'bundle size'], built.map((f) => [f.name, `${(f.bytes / 1024).toFixed(0)} KiB`]));
    recordBench('firstorder', { runs: RUNS, bundledMs: times.bundled, unbundledMs: times.unbundled, bundles: built.map((f) => ({ name: f.name, bytes: f.bytes })) }, md);
  } finally {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) run().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
