/**
 * `npm run bench -- simstore`: what making one mutating request durable costs in the WeChat Pay
 * simulator at 1k / 10k / 100k paid orders already in its ledger (each with its delivered
 * notification, as a chaos run leaves them). The same requests over real HTTP (prepay, pay, refund,
 * prepay, close, plus the notification attempt the payment schedules), twice per size:
 * - new: the journal (emulator/wechat/store.ts): one change record + fdatasync per commit;
 * - old: the whole-state save it replaced (persist.ts before the journal), re-enacted here on the
 *   same state: serialise everything, write a tmp file, fsync, rename, fsync the directory.
 * Per commit: bytes written, CPU ms of the synchronous part (encoding: the event loop is blocked for
 * it) and wall ms until durable. Plus the compaction (the whole state, what a clean shutdown writes)
 * and the restart (snapshot + journal replay). Env: BENCH_SIMSTORE_SIZES=1000,10000,100000.
 */
import { mkdtempSync, promises as fsp, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCredentials } from '../../emulator/credentials';
import { startWechatSimulator, type WechatSimulator } from '../../emulator/wechat';
import { snapshotRecord } from '../../emulator/wechat/persist';
import { buildAuthorization } from '../../lib/wechatpay';
import { markdownTable, recordBench } from './peers';
import { seedPaidOrders } from './workers/sim-ledger';

const SIZES = (process.env.BENCH_SIMSTORE_SIZES ?? '1000,10000,100000').split(',').map(Number);
/** Measured rounds: the journal's cost is small and steady; a whole-state save at 100k orders takes seconds. */
const ROUNDS = { journal: 4, wholeState: 2 };
const credentials = generateCredentials();
const load = (): string => loadavg()[0].toFixed(1);

interface Costs { commits: number; requests: number; bytes: number; cpuMs: number; blockedMs: number; wallMs: number }

/** Wraps state.persist: counts the synchronous CPU of each commit and its wall time until durable. */
function instrument(sim: WechatSimulator, bytesOf: () => number): Costs {
  const costs: Costs = { commits: 0, requests: 0, bytes: 0, cpuMs: 0, blockedMs: 0, wallMs: 0 };
  const persist = sim.state.persist;
  sim.state.persist = () => {
    const before = bytesOf();
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const done = persist();
    costs.blockedMs += performance.now() - t0;
    const used = process.cpuUsage(cpu);
    costs.cpuMs += (used.user + used.system) / 1000;
    costs.bytes += bytesOf() - before;
    if (bytesOf() !== before) costs.commits += 1;
    return done.then(() => void (costs.wallMs += performance.now() - t0));
  };
  return costs;
}

/** The whole-state save the journal replaced: every save serialises and rewrites everything (one in flight at a time). */
function wholeStateSaver(sim: WechatSimulator, file: string): { bytes: () => number } {
  let written = 0;
  let last = '';
  let writing: Promise<void> | undefined;
  let again = false;
  const writeOnce = async (): Promise<void> => {
    const text = snapshotRecord(sim.state);
    if (text === last) return;
    written += Buffer.byteLength(text);
    const handle = await fsp.open(`${file}.tmp`, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(`${file}.tmp`, file);
    const dir = await fsp.open(join(file, '..'), 'r');
    await dir.sync().finally(() => dir.close());
    last = text;
  };
  const loop = async (): Promise<void> => {
    try {
      do {
        again = false;
        await writeOnce();
      } while (again);
    } finally {
      writing = undefined;
    }
  };
  sim.state.persist = () => {
    if (writing) {
      again = true;
      return writing;
    }
    return (writing = loop());
  };
  sim.state.durable = () => writing ?? Promise.resolve();
  return { bytes: () => written };
}

async function send(sim: WechatSimulator, method: string, path: string, body: unknown, signed: boolean): Promise<{ status: number; json: any }> {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (signed) headers.Authorization = buildAuthorization({ method, url: path, body: text, mchid: credentials.mchid, serialNo: credentials.merchant.serialNo, privateKey: credentials.merchant.privateKey });
  const res = await fetch(`${sim.url}${path}`, { method, headers, body: text });
  const raw = await res.text();
  return { status: res.status, json: raw ? JSON.parse(raw) : undefined };
}

/** rounds × (prepay, pay, refund, prepay, close), one after another, each waited for with what it scheduled. */
async function requests(sim: WechatSimulator, tag: string, costs: Costs, rounds: number): Promise<void> {
  const { mchid, appid } = credentials;
  const order = (no: string) => ({ appid, mchid, description: 'bench', out_trade_no: no, notify_url: 'https://notify.local.test/pay/notify', amount: { total: 100 }, payer: { openid: 'oBENCHSIMSTORE00000000001' } });
  const expect = async (status: number, r: Promise<{ status: number; json: any }>) => {
    const got = await r;
    if (got.status !== status) throw new Error(`expected ${status}, got ${got.status} ${JSON.stringify(got.json)}`);
    await sim.state.settled(0);
    costs.requests += 1;
    return got;
  };
  for (let i = 0; i < rounds; i++) {
    const paid = `BENCH_${tag}P${i}`;
    const prepay = await expect(200, send(sim, 'POST', '/v3/pay/transactions/jsapi', order(paid), true));
    await expect(200, send(sim, 'POST', '/__sim/pay', { prepay_id: prepay.json.prepay_id }, false));
    await expect(200, send(sim, 'POST', '/v3/refund/domestic/refunds', { out_trade_no: paid, out_refund_no: `BENCH_${tag}R${i}`, amount: { refund: 100, total: 100, currency: 'CNY' } }, true));
    await expect(200, send(sim, 'POST', '/v3/pay/transactions/jsapi', order(`BENCH_${tag}C${i}`), true));
    await expect(204, send(sim, 'POST', `/v3/pay/transactions/out-trade-no/BENCH_${tag}C${i}/close`, { mchid }, true));
  }
}

const perCommit = (c: Costs) => ({
  bytesPerRequest: Math.round(c.bytes / c.requests),
  cpuMsPerCommit: c.cpuMs / Math.max(1, c.commits),
  blockedMsPerCommit: c.blockedMs / Math.max(1, c.commits),
  wallMsPerCommit: c.wallMs / Math.max(1, c.commits),
});

async function measure(orders: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-simstore-'));
  try {
    // New: seed, compact (the whole state as the snapshot), restart on it, then the requests.
    const seeding = await startWechatSimulator({ port: 0, credentials, dataDir: dir });
    seedPaidOrders(seeding.state, orders);
    let cpu = process.cpuUsage();
    let t0 = performance.now();
    await seeding.store!.compact();
    const compaction = { ms: performance.now() - t0, cpuMs: ((u) => (u.user + u.system) / 1000)(process.cpuUsage(cpu)) };
    await seeding.close();
    cpu = process.cpuUsage();
    t0 = performance.now();
    const sim = await startWechatSimulator({ port: 0, credentials, dataDir: dir });
    const restart = { ms: performance.now() - t0, cpuMs: ((u) => (u.user + u.system) / 1000)(process.cpuUsage(cpu)) };
    const stateBytes = (await fsp.stat(join(dir, 'wechat', 'state.log'))).size;
    await requests(sim, 'W', { commits: 0, requests: 0, bytes: 0, cpuMs: 0, blockedMs: 0, wallMs: 0 }, 1); // warm-up, not counted
    const fresh = instrument(sim, () => sim.store!.stats().bytesWritten);
    await requests(sim, 'N', fresh, ROUNDS.journal);
    const newLoad = load();
    await sim.close();

    // Old: the same kind of state in a simulator without a store, saved whole on every commit.
    const old = await startWechatSimulator({ port: 0, credentials });
    seedPaidOrders(old.state, orders);
    const saver = wholeStateSaver(old, join(dir, 'old-state.json'));
    await old.state.persist(); // the initial save, not measured
    const before = instrument(old, saver.bytes);
    await requests(old, 'O', before, ROUNDS.wholeState);
    const oldLoad = load();
    await old.close();
    return { orders, stateMb: stateBytes / 1e6, new: perCommit(fresh), newCommits: fresh.commits, old: perCommit(before), oldCommits: before.commits, compaction, restart, newLoad, oldLoad };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const results = [];
  // JIT warm-up: the first size measured otherwise pays the compilation of the encoding paths.
  await measure(Math.min(...SIZES));
  for (const n of SIZES) {
    const r = await measure(n);
    results.push(r);
    console.log(`${n} orders (${r.stateMb.toFixed(1)} MB): new ${r.new.bytesPerRequest} B/request, per commit ${r.new.blockedMsPerCommit.toFixed(3)} ms blocked, ${r.new.cpuMsPerCommit.toFixed(3)} ms CPU, ${r.new.wallMsPerCommit.toFixed(2)} ms to durable (load ${r.newLoad}); old ${r.old.bytesPerRequest} B/request, ${r.old.blockedMsPerCommit.toFixed(1)} ms blocked, ${r.old.cpuMsPerCommit.toFixed(1)} ms CPU, ${r.old.wallMsPerCommit.toFixed(1)} ms (load ${r.oldLoad}); compaction ${r.compaction.ms.toFixed(0)} ms, restart ${r.restart.ms.toFixed(0)} ms`);
  }
  const table = markdownTable(
    ['orders', 'state on disk', 'journal B/request', 'journal ms blocked / CPU ms / ms to durable, per commit', 'whole-state B/request', 'whole-state ms blocked / CPU ms / ms to durable, per commit', 'compaction (whole state)', 'restart (load)', 'load average'],
    results.map((r) => [
      r.orders, `${r.stateMb.toFixed(1)} MB`, r.new.bytesPerRequest, `${r.new.blockedMsPerCommit.toFixed(3)} / ${r.new.cpuMsPerCommit.toFixed(3)} / ${r.new.wallMsPerCommit.toFixed(2)}`,
      r.old.bytesPerRequest, `${r.old.blockedMsPerCommit.toFixed(1)} / ${r.old.cpuMsPerCommit.toFixed(1)} / ${r.old.wallMsPerCommit.toFixed(1)}`,
      `${r.compaction.ms.toFixed(0)} ms (CPU ${r.compaction.cpuMs.toFixed(0)})`, `${r.restart.ms.toFixed(0)} ms (CPU ${r.restart.cpuMs.toFixed(0)})`, `${r.newLoad} / ${r.oldLoad}`,
    ]),
  );
  const notes = [
    '',
    `Per size: ${ROUNDS.journal} (journal) / ${ROUNDS.wholeState} (whole-state) × (prepay, pay, refund, prepay, close) over HTTP after one warm-up round, one at a time, each with the notification attempt it scheduled; seeded orders are paid, each with its delivered notification (about 2.1 KB of state per order).`,
    'Journal: the simulator as it is (emulator/wechat/store.ts). Whole-state: the save it replaced, re-enacted in the same run on the same state (serialise all, tmp + fsync + rename + dir fsync).',
    'Per commit: ms blocked = wall time of its synchronous part (encoding; the event loop serves nothing meanwhile), CPU ms = process CPU over that part (GC and I/O threads included), ms to durable = until written and fdatasync\'ed. Compaction: the whole state as a new snapshot (what a clean shutdown writes when the journal holds anything); restart: opening the store on it. Load average (1 min): during the journal run / the whole-state run.',
  ].join('\n');
  recordBench('simstore', results, table + '\n' + notes);
  console.log(`\n${table}\n${notes}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
