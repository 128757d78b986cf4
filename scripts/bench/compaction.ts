/**
 * `npm run bench -- compaction`: how long a compaction keeps the event loop, for the CloudBase
 * emulator's database (emulator/cloudbase/store.ts) and the WeChat Pay simulator's journal
 * (emulator/wechat/store.ts), each at two sizes, old and new interleaved (old, new, old, new):
 * - old: the synchronous rewrite compaction used to be (DurableLog.rewrite of the whole snapshot for
 *   CloudBase; for the simulator its one-record snapshot encoded, written, fsync'ed and renamed,
 *   re-enacted beside the store's file);
 * - new: DurableLog.compact, beside the writes (EnvStore.compactNow, store.compact()).
 * Longest stall = the largest gap between two runs of a 1 ms interval timer while it ran, minus
 * the 1 ms. CloudBase runs with 8 writer lanes committing one document each, back to back,
 * for the whole compaction: writes acknowledged meanwhile and the slowest one. CPU ms = the process
 * over the compaction (writers included). Env: BENCH_COMPACTION_DOCS=50000,100000,
 * BENCH_COMPACTION_ORDERS=10000,30000.
 */
import fs from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCredentials } from '../../emulator/credentials';
import { EnvStore, type Op } from '../../emulator/cloudbase/store';
import type { DurableLog } from '../../emulator/shared/wal';
import { startWechatSimulator } from '../../emulator/wechat';
import { snapshotRecord } from '../../emulator/wechat/persist';
import { markdownTable, recordBench } from './peers';
import { seedPaidOrders } from './workers/sim-ledger';

const DOCS = (process.env.BENCH_COMPACTION_DOCS ?? '50000,100000').split(',').map(Number);
const ORDERS = (process.env.BENCH_COMPACTION_ORDERS ?? '10000,30000').split(',').map(Number);
const load = (): string => loadavg()[0].toFixed(1);
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

interface Run { store: string; size: string; mb: number; kind: 'old' | 'new'; wallMs: number; cpuMs: number; stallMs: number; slices: number | string; acked: number | string; slowestWriteMs: number | string; load: string }

/** Runs `compaction` with the event loop watched; `writers` (if any) commit until it is done. */
async function watched(compaction: () => Promise<void>, writer?: () => Promise<void>) {
  // The largest gap between two runs of a 1 ms interval timer: a synchronous block shows as one gap.
  let last = performance.now();
  let stall = 0;
  const tick = (): void => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  };
  let done = false;
  let acked = 0;
  let slowest = 0;
  const lanes = writer ? Array.from({ length: 8 }, async () => {
    while (!done) {
      const t = performance.now();
      await writer();
      slowest = Math.max(slowest, performance.now() - t);
      acked += 1;
    }
  }) : [];
  await new Promise((r) => setTimeout(r, 20)); // writers in full flow first
  const ticker = setInterval(tick, 1);
  last = performance.now();
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await compaction();
  const wallMs = performance.now() - t0;
  const used = cpuMs(process.cpuUsage(cpu));
  await new Promise((r) => setTimeout(r, 2)); // lets the ticker see the end of a block that ended the compaction
  clearInterval(ticker);
  done = true;
  await Promise.all(lanes);
  return { wallMs, cpuMs: used, stallMs: Math.max(0, stall - 1), acked, slowest };
}

const doc = (i: number, n = 0) => ({ _id: `d${i}`, n, status: 'SUCCESS', out_trade_no: `BENCH${String(i).padStart(10, '0')}`, total: 1200 + (i % 7), note: 'a paid order as the shop keeps it, padded to a realistic size', at: new Date(1_700_000_000_000 + i) });

async function cloudbase(docs: number, kind: 'old' | 'new'): Promise<Run> {
  const dir = fs.mkdtempSync(join(tmpdir(), 'bench-compaction-'));
  try {
    const store = EnvStore.open(dir, 'bench', undefined, { compactAtBytes: 2 ** 40 });
    await store.commit([{ op: 'coll', c: 'orders' }]);
    for (let i = 0; i < docs; i += 1000) {
      const ops: Op[] = [];
      for (let j = i; j < Math.min(docs, i + 1000); j++) ops.push({ op: 'put', c: 'orders', doc: doc(j) });
      await store.commit(ops);
    }
    const mb = fs.statSync(join(dir, 'cloudbase', 'bench.log')).size / 1e6;
    let w = 0;
    // The old rewrite needs the log idle, which back-to-back writers never leave it: they hold new
    // writes at this gate meanwhile (their wait counts in the slowest write).
    let gate: Promise<void> | undefined;
    const writer = async (): Promise<void> => {
      while (gate) await gate;
      await store.commit([{ op: 'put', c: 'orders', doc: doc(w++ % docs, w) }]);
    };
    // Private in the store: the old path is reached the way its own compaction reached it.
    const inner = store as unknown as { log: DurableLog; snapshot(): Iterable<string> };
    const old = async (): Promise<void> => {
      let open = (): void => undefined;
      gate = new Promise<void>((r) => (open = r));
      try {
        await inner.log.idle();
        inner.log.rewrite(inner.snapshot());
      } finally {
        gate = undefined;
        open();
      }
    };
    const r = await watched(kind === 'old' ? old : () => store.compactNow(), writer);
    const slices = kind === 'new' ? store.lastCompaction!.slices : 1;
    await store.close();
    return { store: 'CloudBase database', size: `${docs} documents`, mb, kind, wallMs: r.wallMs, cpuMs: r.cpuMs, stallMs: r.stallMs, slices, acked: r.acked, slowestWriteMs: r.slowest, load: load() };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const credentials = generateCredentials();

async function simulator(orders: number, kind: 'old' | 'new'): Promise<Run> {
  const dir = fs.mkdtempSync(join(tmpdir(), 'bench-compaction-'));
  try {
    const sim = await startWechatSimulator({ port: 0, credentials, dataDir: dir });
    seedPaidOrders(sim.state, orders);
    await sim.store!.compact();
    const file = join(dir, 'wechat', 'state.log');
    const mb = fs.statSync(file).size / 1e6;
    const old = async (): Promise<void> => {
      // The one-record snapshot, written the way the synchronous compaction wrote it (beside the store's file).
      const text = snapshotRecord(sim.state);
      const fd = fs.openSync(`${file}.old.tmp`, 'w');
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.renameSync(`${file}.old.tmp`, `${file}.old`);
    };
    const r = await watched(kind === 'old' ? old : () => sim.store!.compact());
    const slices = kind === 'new' ? sim.store!.lastCompaction()!.slices : 1;
    await sim.close();
    return { store: 'WeChat Pay simulator journal', size: `${orders} paid orders`, mb, kind, wallMs: r.wallMs, cpuMs: r.cpuMs, stallMs: r.stallMs, slices, acked: '–', slowestWriteMs: '–', load: load() };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const runs: Run[] = [];
  await cloudbase(Math.min(...DOCS), 'new'); // JIT warm-up, not recorded
  await cloudbase(Math.min(...DOCS), 'old');
  const report = (r: Run) => {
    runs.push(r);
    console.log(`${r.store} ${r.size} (${r.mb.toFixed(1)} MB) ${r.kind}: longest stall ${r.stallMs.toFixed(1)} ms, ${r.wallMs.toFixed(0)} ms wall, ${r.cpuMs.toFixed(0)} ms CPU, ${r.slices} slices, ${r.acked} writes acknowledged meanwhile (slowest ${typeof r.slowestWriteMs === 'number' ? r.slowestWriteMs.toFixed(1) : r.slowestWriteMs} ms) (load ${r.load})`);
  };
  for (const n of DOCS) for (const kind of ['old', 'new', 'old', 'new'] as const) report(await cloudbase(n, kind));
  for (const n of ORDERS) for (const kind of ['old', 'new', 'old', 'new'] as const) report(await simulator(n, kind));
  const f = (x: number | string, d = 1) => (typeof x === 'number' ? x.toFixed(d) : x);
  const table = markdownTable(
    ['store', 'size (log on disk)', 'compaction', 'longest event-loop stall', 'wall ms', 'CPU ms', 'slices', 'writes acknowledged meanwhile', 'slowest write ms', 'load average'],
    runs.map((r) => [r.store, `${r.size} (${r.mb.toFixed(1)} MB)`, r.kind === 'old' ? 'old: synchronous rewrite' : 'new: beside the writes', `${r.stallMs.toFixed(1)} ms`, f(r.wallMs, 0), f(r.cpuMs, 0), r.slices, r.acked, f(r.slowestWriteMs), r.load]),
  );
  const notes = [
    '',
    'Old and new interleaved (old, new, old, new) per size, in one process after a warm-up pair. Longest stall: the largest event-loop delay while the compaction ran (the largest gap between two runs of a 1 ms interval timer, minus 1 ms): what every request in flight waits at most. CloudBase: 8 lanes commit one document each back to back during the compaction (old: they wait for the rewrite; new: they are acknowledged meanwhile). CPU ms: the whole process over the compaction, writers included. Simulator: no writers; old = its former one-record snapshot encoded + written + fsync + rename.',
  ].join('\n');
  recordBench('compaction', runs, table + '\n' + notes);
  console.log(`\n${table}\n${notes}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
