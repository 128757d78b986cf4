/**
 * Reconciliation cost: time for the timer function (lib/orders/reconcile, called tick after tick as
 * the trigger would) to settle 1k and 10k pending orders when the collection holds 10k or 100k orders
 * in total. Real parts: wx-server-sdk → CloudBase emulator (in this process), lib/wechatpay client →
 * WeChat Pay simulator. Pending orders are expired and were never prepaid, so each costs one query
 * (404 at WeChat Pay) and one close here — the same work per order in every case.
 * The claim: the cost follows the pending count, not the total. Env: BENCH_RECONCILE_CASES=10000:1000,…
 * The emulator is started with the deployment's declared indexes (lib/store/deployment.ts), as the
 * local stack is; a case written `total:pending:scan` starts it without them: the same run's baseline
 * for what the indexes buy (the real database without them scans the collection on every tick too).
 * CPU per pending order is this process's (the SDK, the emulator and the simulator all run here): it
 * stays comparable between runs when other work shares the machine and the wall-clock time does not.
 */
import { mkdtempSync, rmSync } from 'fs';
import { loadavg, tmpdir } from 'os';
import { join } from 'path';
import { startCloudbaseEmulator } from '../../emulator/cloudbase';
import { loadOrCreateCredentials } from '../../emulator/credentials';
import { startWechatSimulator } from '../../emulator/wechat';
import { loadConfig } from '../../lib/config';
import { createPayGateway } from '../../lib/functions/pay-client';
import { silentLogger } from '../../lib/log';
import { asDatabase } from '../../lib/store/db';
import { reconcile } from '../../lib/orders/reconcile';
import { adminWire } from '../../emulator/cloudbase/admin-client';
import { functionEnvFor } from '../local/function-env';
import { markdownTable, recordBench } from './peers';
import { indexFields } from '../../lib/store/deployment';

const CASES = (process.env.BENCH_RECONCILE_CASES ?? '10000:1000,10000:10000,100000:1000,100000:10000,100000:10000:scan')
  .split(',').map((c) => {
    const [total, pending, mode] = c.split(':');
    return { total: Number(total), pending: Number(pending), indexed: mode !== 'scan' };
  });

interface Result { total: number; pending: number; indexed: boolean; ms: number; ticks: number; perPendingMs: number; seedMs: number; cpuPerPendingMs: number; load: number }

async function runCase(total: number, pending: number, indexed: boolean): Promise<Result> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-bench-reconcile-'));
  const credentials = loadOrCreateCredentials(dataDir);
  const sim = await startWechatSimulator({ port: 0, dataDir, credentials });
  const emu = await startCloudbaseEmulator({ port: 0, dataDir, envId: credentials.envId, functions: {}, log: () => undefined, indexes: indexed ? indexFields() : {} });
  try {
    const admin = adminWire(emu.adminUrl, emu.envId);
    await admin.ensureCollection('orders');
    await admin.ensureCollection('payment_events');
    const seedStart = Date.now();
    const now = Date.now();
    for (let i = 0; i < total; i += 1000) {
      const docs = [];
      for (let k = i; k < Math.min(total, i + 1000); k++) {
        const isPending = k % Math.round(total / pending) === 0 && Math.floor(k / Math.round(total / pending)) < pending;
        const at = new Date(now - 3600_000 - (total - k) * 1000);
        docs.push({
          _id: `B${String(k).padStart(12, '0')}`, outTradeNo: `B${String(k).padStart(12, '0')}`, openid: `o${k % 997}`,
          items: [{ productId: 'tea', name: 'Tea', unitPrice: 1200, quantity: 1 }], amount: { total: 1200, currency: 'CNY' }, description: 'Tea x1',
          status: isPending ? 'NOTPAY' : k % 3 === 0 ? 'CLOSED' : 'SUCCESS', prepayId: null, prepayExpiresAt: null,
          expiresAt: new Date(now - 1000), transitions: [], lastCheckedAt: at, createdAt: at, updatedAt: at,
        });
      }
      await admin.insert('orders', docs);
    }
    const seedMs = Date.now() - seedStart;
    const actualPending = await admin.count('orders', { status: 'NOTPAY' });
    if (actualPending !== pending) throw new Error(`seeded ${actualPending} pending, wanted ${pending}`);

    // The SDK in this process, pointed at the emulator through the documented env seam.
    Object.assign(process.env, emu.sdkEnv());
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cloud = require('wx-server-sdk');
    cloud.init({ env: emu.envId });
    const config = loadConfig(functionEnvFor(credentials, sim.url, {}, {}));
    const deps = {
      db: asDatabase(cloud.database()),
      pay: createPayGateway(config).gateway,
      merchant: { appid: config.appid, mchid: config.mchid, notifyUrl: config.notifyUrl },
      settings: { orderExpireMinutes: 30, reconcileMinAgeSeconds: 0, reconcileTimeBudgetMs: 600_000, reconcileBatchSize: 1000, reconcileConcurrency: 20 },
      now: Date.now,
      log: silentLogger,
    };
    const started = Date.now();
    const cpuBefore = process.cpuUsage();
    let ticks = 0;
    for (;;) {
      ticks += 1;
      const summary = await reconcile(deps);
      if (summary.checked === 0) break;
      if (ticks > 1000) throw new Error('reconciliation did not settle');
    }
    const ms = Date.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const left = await admin.count('orders', { status: 'NOTPAY' });
    if (left !== 0) throw new Error(`${left} orders still pending`);
    return { total, pending, indexed, ms, ticks, perPendingMs: ms / pending, seedMs, cpuPerPendingMs: (cpu.user + cpu.system) / 1000 / pending, load: loadavg()[0] };
  } finally {
    await emu.close();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const all: Result[] = [];
  for (const { total, pending, indexed } of CASES) {
    const r = await runCase(total, pending, indexed);
    all.push(r);
    console.log(`total ${String(total).padStart(6)}  pending ${String(pending).padStart(5)}${indexed ? '' : ' (no indexes)'}: settled in ${(r.ms / 1000).toFixed(2)} s over ${r.ticks} ticks (${r.perPendingMs.toFixed(2)} ms per pending order, CPU ${r.cpuPerPendingMs.toFixed(2)} ms per pending order; load ${r.load.toFixed(1)}; seeding took ${(r.seedMs / 1000).toFixed(1)} s)`);
  }
  const results = all.filter((r) => r.indexed);
  const lines: string[] = [];
  for (const pending of [...new Set(results.map((r) => r.pending))]) {
    const small = results.find((r) => r.pending === pending && r.total === Math.min(...results.filter((x) => x.pending === pending).map((x) => x.total)));
    const big = results.find((r) => r.pending === pending && r.total === Math.max(...results.filter((x) => x.pending === pending).map((x) => x.total)));
    if (small && big && small !== big) lines.push(`pending ${pending}: ${big.total} total vs ${small.total} total → ${(big.ms / small.ms).toFixed(2)}× the time (total grew ${big.total / small.total}×)`);
  }
  for (const total of [...new Set(results.map((r) => r.total))]) {
    const rs = results.filter((r) => r.total === total).sort((a, b) => a.pending - b.pending);
    if (rs.length > 1) lines.push(`total ${total}: ${rs.at(-1)!.pending} pending vs ${rs[0].pending} → ${(rs.at(-1)!.ms / rs[0].ms).toFixed(2)}× the time (pending grew ${rs.at(-1)!.pending / rs[0].pending}×)`);
  }
  for (const scan of all.filter((r) => !r.indexed)) {
    const same = results.find((r) => r.total === scan.total && r.pending === scan.pending);
    if (same) lines.push(`total ${scan.total}, pending ${scan.pending}: with the declared indexes ${(same.ms / scan.ms).toFixed(2)}× the time of a scan on every tick (CPU ${(same.cpuPerPendingMs / scan.cpuPerPendingMs).toFixed(2)}×)`);
  }
  for (const l of lines) console.log(l);
  const table = markdownTable(['orders in total', 'pending', 'indexes', 'time to settle', 'ticks', 'ms per pending order', 'CPU ms per pending order', 'load average'],
    all.map((r) => [r.total, r.pending, r.indexed ? 'declared' : 'none (scan)', `${(r.ms / 1000).toFixed(2)} s`, r.ticks, r.perPendingMs.toFixed(2), r.cpuPerPendingMs.toFixed(2), r.load.toFixed(1)]));
  recordBench('reconcile', all, `${table}\n\n${lines.map((l) => `- ${l}`).join('\n')}`);
}

if (require.main === module) run().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
