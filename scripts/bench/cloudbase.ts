/**
 * CloudBase emulator benchmark, through the real wx-server-sdk: `npx tsx scripts/bench/cloudbase.ts`
 *
 * - single-document write latency on `orders` once it holds 10k and 100k documents (300 sequential
 *   add() of order-shaped documents, then doc().update() of each; every write fsync'ed before the ack)
 * - concurrent write throughput (group commit, on a scratch collection)
 * - one-field query ("all NOTPAY orders") at 10k and 100k documents: first page, count, sorted page
 * - doc(id).get at 10k and 100k, and restart (log replay) time at the end
 * The writes run after the queries of each size, so the queries see exactly 10k / 100k documents
 * (the 100k phase then holds 300 extra orders from the 10k writes).
 * Set BENCH_MAX_DOCS=10000 for a quick run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startCloudbaseEmulator, type CloudbaseEmulator } from '../../emulator/cloudbase';
import { EnvStore } from '../../emulator/cloudbase/store';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `p50 ${q(0.5).toFixed(2)} ms · p95 ${q(0.95).toFixed(2)} ms · mean ${mean.toFixed(2)} ms (n=${s.length})`;
}

async function time(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

async function seed(db: Any, from: number, to: number): Promise<void> {
  const batch = 1000;
  for (let i = from; i < to; i += batch) {
    const docs = [];
    for (let k = i; k < Math.min(to, i + batch); k++) {
      docs.push({ _id: `o${k}`, openid: `user-${k % 500}`, status: k % 10 === 0 ? 'NOTPAY' : 'SUCCESS', amount: { total: 100 + (k % 997), currency: 'CNY' }, createdAt: new Date(1_700_000_000_000 + k * 1000) });
    }
    await db.collection('orders').add({ data: docs });
  }
}

/** 300 sequential add() of order-shaped documents, then doc(id).update() of each, on `orders` itself. */
async function writes(db: Any, tag: string): Promise<void> {
  const order = (i: number) => ({ _id: `w${tag}-${i}`, openid: `user-${i % 500}`, status: 'NOTPAY', amount: { total: 100 + i, currency: 'CNY' }, createdAt: new Date() });
  const adds = await time(300, (i) => db.collection('orders').add({ data: order(i) }));
  console.log(`orders.add() sequential                            ${stats(adds)}`);
  const upd = await time(300, (i) => db.collection('orders').doc(`w${tag}-${i}`).update({ data: { status: 'SUCCESS', updatedAt: new Date() } }));
  console.log(`orders.doc(id).update() sequential                 ${stats(upd)}`);
}

async function queries(db: Any, label: string): Promise<void> {
  const _ = db.command;
  console.log(`\n## ${label}`);
  const page = await time(30, () => db.collection('orders').where({ status: 'NOTPAY' }).limit(100).get());
  console.log(`where({status:'NOTPAY'}).limit(100).get()          ${stats(page)}`);
  const count = await time(20, () => db.collection('orders').where({ status: 'NOTPAY' }).count());
  console.log(`where({status:'NOTPAY'}).count()                   ${stats(count)}`);
  const sorted = await time(10, () => db.collection('orders').where({ status: 'NOTPAY', 'amount.total': _.gt(500) }).orderBy('createdAt', 'desc').limit(100).get());
  console.log(`where(NOTPAY, total>500).orderBy(createdAt).limit(100) ${stats(sorted)}`);
  const byId = await time(100, (i) => db.collection('orders').doc(`o${(i * 7919) % 10000}`).get());
  console.log(`doc(id).get()                                      ${stats(byId)}`);
}

async function main(): Promise<void> {
  const maxDocs = Number(process.env.BENCH_MAX_DOCS ?? 100_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-bench-'));
  const emu: CloudbaseEmulator = await startCloudbaseEmulator({ dataDir, envId: 'bench-env', functionsDir: dataDir });
  // SILENCE: the SDK warns about every request slower than 3 s (the concurrent burst queues up).
  Object.assign(process.env, emu.sdkEnv(), { SILENCE: 'true' });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk');
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  const db = cloud.database();
  await db.createCollection('orders');
  await db.createCollection('scratch');
  console.log(`# CloudBase emulator benchmark (${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, data in ${os.tmpdir()})`);

  console.log('\n## concurrent writes (scratch collection)');
  await time(20, () => db.collection('scratch').add({ data: { warm: true } }));
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 1000 }, (_x, i) => db.collection('scratch').add({ data: { c: i } })));
  console.log(`1000 concurrent add()       ${(1000 / ((performance.now() - t0) / 1000)).toFixed(0)} writes/s (group commit)`);

  await seed(db, 0, 10_000);
  await queries(db, '10,000 orders (10% NOTPAY)');
  await writes(db, '10k');
  if (maxDocs > 10_000) {
    const ts = performance.now();
    await seed(db, 10_000, maxDocs);
    console.log(`\n(seeded ${maxDocs - 10_000} more in ${((performance.now() - ts) / 1000).toFixed(1)} s)`);
    await queries(db, `${maxDocs.toLocaleString('en')} orders (10% NOTPAY)`);
    await writes(db, '100k');
  }
  await emu.close();
  const tr = performance.now();
  const reopened = EnvStore.open(dataDir, 'bench-env');
  console.log(`\nrestart: replaying the log of ${reopened.collection('orders').docs.size} orders took ${(performance.now() - tr).toFixed(0)} ms (log ${(fs.statSync(path.join(dataDir, 'cloudbase', 'bench-env.log')).size / 1e6).toFixed(1)} MB)`);
  await reopened.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
