/**
 * payNotify's database requests straight into the CloudBase emulator's admin handlers, in this process
 * (no HTTP, no SDK, no function instance): the emulator's own CPU per notification, which the notify bench
 * cannot resolve (its figure moves ±0.2 ms between runs on a shared VM; this part is ~0.2 ms in all).
 * `npx tsx scripts/bench/notifydb.ts` (BENCH_NOTIFYDB_COUNT, default 10000 notifications).
 *
 * The bodies are the ones wx-server-sdk sends for one TRANSACTION.SUCCESS (captured from the local stack,
 * 2026-12-02): the conditional transition update (`{$set, $push: {$each}}` where `_id`, status, amount and
 * openid match) and the insert of its two payment_events records; every write goes through the durable log
 * (group commit, fdatasync'ed) in a temporary directory. 32 notifications in flight, like the notify bench's
 * c=32; the first half is the warm-up, the second half is measured (process.cpuUsage: all threads).
 */
import { EJSON } from 'bson';
import fs from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { handleAdmin, type AdminContext } from '../../emulator/cloudbase/admin';
import { Faults } from '../../emulator/cloudbase/faults';
import { EnvStore } from '../../emulator/cloudbase/store';
import { TxnManager } from '../../emulator/cloudbase/transactions';
import { markdownTable, recordBench } from './peers';

const COUNT = Number(process.env.BENCH_NOTIFYDB_COUNT ?? 10000);
const CONCURRENCY = 32;
const ENV = 'bench-env';
const ejson = (v: unknown): string => EJSON.stringify(v as Record<string, unknown>, { relaxed: false });
const orderNo = (i: number): string => `N${String(i).padStart(12, '0')}`;
/** What the SDK adds to every request besides the action's own fields. */
const SDK_FIELDS = { envName: ENV, wxCloudApiToken: 'token', tcb_sessionToken: '', sessionToken: '', crossAuthorizationToken: '' };

async function admin(ctx: AdminContext, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const answer = await handleAdmin(ctx, { ...SDK_FIELDS, ...body }, null);
  if (answer.code) throw new Error(`${String(body.action)}: ${String(answer.code)} ${String(answer.message)}`);
  return answer;
}

async function seedOrders(ctx: AdminContext, n: number): Promise<void> {
  const now = Date.now();
  for (let i = 0; i < n; i += 500) {
    const data = Array.from({ length: Math.min(500, n - i) }, (_x, k) => {
      const no = orderNo(i + k);
      return ejson({
        _id: no, outTradeNo: no, openid: `oBENCH${(i + k) % 50}`, items: [{ productId: 'tea', name: 'Tea', unitPrice: 1200, quantity: 1 }], amount: { total: 1200, currency: 'CNY' },
        description: 'Tea x1', status: 'NOTPAY', prepayId: null, prepayExpiresAt: null, expiresAt: new Date(now + 3600_000), transitions: [], lastCheckedAt: new Date(now), createdAt: new Date(now), updatedAt: new Date(now),
      });
    });
    await admin(ctx, { action: 'database.insertDocument', collectionName: 'orders', data });
  }
}

async function notification(ctx: AdminContext, i: number): Promise<void> {
  const no = orderNo(i);
  const at = new Date();
  const transactionId = `42${String(i).padStart(26, '0')}`;
  const moved = await admin(ctx, {
    action: 'database.modifyDocument', collectionName: 'orders', queryType: 'WHERE', multi: true, merge: true, upsert: false,
    query: ejson({ openid: `oBENCH${i % 50}`, 'amount.total': 1200, 'amount.currency': 'CNY', _id: no, status: 'NOTPAY' }),
    data: ejson({ $set: { status: 'SUCCESS', updatedAt: at, lastCheckedAt: at, auditPending: true, transactionId, paidAt: at }, $push: { transitions: { $each: [{ from: 'NOTPAY', to: 'SUCCESS', source: 'notify', at, transactionId }] } } }),
  });
  if ((moved.data as { updated?: number }).updated !== 1) throw new Error(`order ${no} was not moved: ${JSON.stringify(moved)}`);
  const record = { source: 'notify', outTradeNo: no, tradeState: 'SUCCESS', transactionId, amountTotal: 1200, at };
  await admin(ctx, {
    action: 'database.insertDocument', collectionName: 'payment_events',
    data: [ejson({ _id: `transition:${no}:NOTPAY:SUCCESS`, kind: 'transition', ...record }), ejson({ _id: `notify:${no}`, kind: 'notification', eventType: 'TRANSACTION.SUCCESS', ...record, detail: 'applied' })],
  });
}

async function inFlight(ctx: AdminContext, from: number, to: number): Promise<void> {
  let next = from;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < to) await notification(ctx, next++);
  }));
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'wxcloud-pay-bench-notifydb-'));
  const store = EnvStore.open(dir, ENV);
  const ctx = { envId: ENV, db: { store, txns: new TxnManager(store), faults: new Faults(), now: () => Date.now() }, host: { callerOf: () => undefined }, storage: {} } as unknown as AdminContext;
  try {
    for (const c of ['orders', 'payment_events']) await admin(ctx, { action: 'database.addCollection', collectionName: c });
    await seedOrders(ctx, COUNT);
    const half = Math.floor(COUNT / 2);
    await inFlight(ctx, 0, half);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await inFlight(ctx, half, COUNT);
    const cpu = process.cpuUsage(cpu0);
    const n = COUNT - half;
    const row = { notifications: n, cpuUs: (cpu.user + cpu.system) / n, userUs: cpu.user / n, systemUs: cpu.system / n, wallUs: ((performance.now() - t0) * 1000) / n, load: loadavg()[0] };
    console.log(`payNotify's database requests (transition update + 2 records), c=${CONCURRENCY}, ${n} measured after ${half}: ${row.cpuUs.toFixed(1)} µs CPU per notification (user ${row.userUs.toFixed(1)}, system ${row.systemUs.toFixed(1)}), ${row.wallUs.toFixed(0)} µs wall; load ${row.load.toFixed(1)}`);
    recordBench('notifydb', row, `${markdownTable(['notifications measured', 'CPU µs/notification', 'user µs', 'system µs', 'wall µs', 'load average'], [[n, row.cpuUs.toFixed(1), row.userUs.toFixed(1), row.systemUs.toFixed(1), row.wallUs.toFixed(0), row.load.toFixed(1)]])}\n\npayNotify's two database requests (the conditional transition update and the insert of its two records, bodies as wx-server-sdk sends them) straight into the CloudBase emulator's admin handlers in one process, ${CONCURRENCY} in flight, every write fdatasync'ed through the log: the emulator's own share of the notify bench's "here" CPU, which that bench cannot resolve between runs.`);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) run().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
