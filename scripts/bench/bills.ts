/**
 * `npm run bench -- bills`: one day's bill reconciliation at 10k and 100k bill rows (90 % payments,
 * 10 % refunds, 0.1 % of the payments "lost" on our side so healing runs too). Real parts: the
 * simulator (this process) writes the day's bill from its ledger; the CloudBase emulator runs as its
 * own process; the reconciliation runs in a third (scripts/bench/workers/bills.ts) so rows/s, peak
 * RSS and DB round trips per 1k rows are its own. Target: 100k rows ≤ 20 s and ≤ 256 MB.
 * Env: BENCH_BILLS_ROWS=10000,100000.
 */
import { spawn } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { sdkEnvFor } from '../../emulator/cloudbase';
import { generateCredentials } from '../../emulator/credentials';
import { startWechatSimulator, type WechatSimulator } from '../../emulator/wechat';
import { prepareTradeBill } from '../../emulator/wechat/bills/serve';
import type { Order, Refund } from '../../emulator/wechat/types';
import { addDays, chinaDateOf, dayWindow } from '../../lib/bills/days';
import { markdownTable, recordBench } from './peers';
import { adminWire } from '../../emulator/cloudbase/admin-client';
import { startCloudbaseChild } from '../local/cloudbase-child';
import { functionEnvFor } from '../local/function-env';

const SIZES = (process.env.BENCH_BILLS_ROWS ?? '10000,100000').split(',').map(Number);
const OPENID = 'oBENCHBILLS0000000000000001';

interface Result { rows: number; ms: number; rowsPerSecond: number; maxRssMb: number; tripsPer1k: number; runs: number; status: string; healed: number; seedMs: number }

function seedSimulator(sim: WechatSimulator, payments: number, refunds: number, date: string): void {
  const { mchid, appid } = sim.credentials;
  const { start } = dayWindow(date);
  for (let i = 0; i < payments; i++) {
    const no = `BB${String(i).padStart(10, '0')}`;
    const at = start + Math.floor((i * 86_000_000) / payments);
    const o: Order = {
      mchid, appid, out_trade_no: no, description: `茶, "大杯" ×${1 + (i % 3)}`, notify_url: 'https://notify.local.test/pay/notify', payableUntil: at + 3600_000,
      amount: { total: 1200, currency: 'CNY' }, payer: { openid: OPENID }, fingerprint: no, createdAt: at - 1000, prepay: { id: `wx${no}`, expiresAt: at + 7200_000 },
      trade_state: i < refunds ? 'REFUND' : 'SUCCESS', transaction_id: `4200${String(i).padStart(24, '0')}`, success_time: new Date(at).toISOString().replace('Z', '+00:00'),
      bank_type: 'OTHERS', refunded: i < refunds ? 100 : 0, refundCount: i < refunds ? 1 : 0,
    };
    sim.state.orders.set(`${mchid}:${no}`, o);
    sim.state.transactions.set(o.transaction_id!, `${mchid}:${no}`);
    if (i < refunds) {
      const r: Refund = {
        mchid, refund_id: `50${String(i).padStart(27, '0')}`, out_refund_no: `BR${String(i).padStart(10, '0')}`, out_trade_no: no, transaction_id: o.transaction_id!,
        amount: { refund: 100, total: 1200, currency: 'CNY' }, fingerprint: no, status: 'SUCCESS', createdAt: at + 60_000, success_time: new Date(at + 61_000).toISOString().replace('Z', '+00:00'),
      };
      sim.state.refunds.set(`${mchid}:${r.out_refund_no}`, r);
    }
  }
}

async function seedDatabase(adminUrl: string, envId: string, payments: number, refunds: number, date: string): Promise<void> {
  const admin = adminWire(adminUrl, envId);
  for (const c of ['orders', 'refunds', 'payment_events', 'bill_reconciliations']) await admin.ensureCollection(c);
  const { start } = dayWindow(date);
  for (let i = 0; i < payments; i += 1000) {
    const docs = [];
    for (let k = i; k < Math.min(payments, i + 1000); k++) {
      const no = `BB${String(k).padStart(10, '0')}`;
      const at = new Date(start + Math.floor((k * 86_000_000) / payments));
      const lost = k % 1000 === 999; // the notification never came: NOTPAY here, paid at WeChat Pay
      docs.push({
        _id: no, outTradeNo: no, openid: OPENID, items: [{ productId: 'tea', name: 'Tea', unitPrice: 1200, quantity: 1 }], amount: { total: 1200, currency: 'CNY' },
        description: 'Tea', status: lost ? 'NOTPAY' : 'SUCCESS', prepayId: `wx${no}`, prepayExpiresAt: at, expiresAt: at, transitions: [], createdAt: at, updatedAt: at,
        ...(lost ? {} : { transactionId: `4200${String(k).padStart(24, '0')}`, paidAt: at }),
        ...(k < refunds ? { refundedTotal: 100, refundReserved: 100, refundCount: 1 } : {}),
      });
    }
    await admin.insert('orders', docs);
  }
  for (let i = 0; i < refunds; i += 1000) {
    const docs = [];
    for (let k = i; k < Math.min(refunds, i + 1000); k++) {
      const at = new Date(start + Math.floor((k * 86_000_000) / payments) + 60_000);
      docs.push({
        _id: `BR${String(k).padStart(10, '0')}`, outRefundNo: `BR${String(k).padStart(10, '0')}`, outTradeNo: `BB${String(k).padStart(10, '0')}`, amount: 100, orderTotal: 1200,
        reason: 'bench', status: 'SUCCESS', refundId: `50${String(k).padStart(27, '0')}`, requestedBy: 'bench', createdAt: at, updatedAt: at, successTime: at, transitions: [], booked: true,
      });
    }
    await admin.insert('refunds', docs);
  }
}

async function runCase(rows: number): Promise<Result> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-bench-bills-'));
  const credentials = generateCredentials();
  // Two days ago in China: its bill is ready whatever the time of day now.
  const date = addDays(chinaDateOf(Date.now()), -2);
  const refunds = Math.floor(rows / 10);
  const payments = rows - refunds;
  const sim = await startWechatSimulator({ port: 0, dataDir, credentials });
  const functionsDir = join(dataDir, 'functions');
  mkdirSync(functionsDir);
  const cb = await startCloudbaseChild({ dataDir, port: 0, envId: credentials.envId, functionsDir, functions: {}, routes: {}, timers: false });
  try {
    const seedStart = Date.now();
    seedSimulator(sim, payments, refunds, date);
    await seedDatabase(cb.adminUrl, cb.envId, payments, refunds, date);
    // The real service serves a pre-generated file; the simulator writes it once here, not inside the measured apply.
    prepareTradeBill(sim.state, credentials.mchid, date, 'ALL');
    const seedMs = Date.now() - seedStart;
    const env = { ...process.env, ...functionEnvFor(credentials, sim.url, {}, {}), ...sdkEnvFor(cb.adminUrl, cb.envId), BENCH_BILL_DATE: date, BILL_TIME_BUDGET_MS: '60000' };
    let last = Date.now();
    const lag = process.env.BENCH_TRACE ? setInterval(() => {
      const now = Date.now();
      if (now - last > 500) console.error(`parent event loop stalled ${now - last} ms (heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB)`);
      last = now;
    }, 100) : undefined;
    const out = await new Promise<string>((resolve, reject) => {
      // Asynchronous: the simulator in this process must keep answering while the worker runs.
      const child = spawn(process.execPath, [require.resolve('tsx/cli'), join(__dirname, 'workers', 'bills.ts')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout!.on('data', (c: Buffer) => (text += c));
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`worker exited ${code}`))));
    });
    if (lag) clearInterval(lag);
    const r = JSON.parse(out.trim().split('\n').at(-1)!);
    if (r.rows !== rows) throw new Error(`reconciled ${r.rows} rows, expected ${rows} (${r.status})`);
    return { rows, ms: r.ms, rowsPerSecond: Math.round((rows / r.ms) * 1000), maxRssMb: Math.round(r.maxRssMb), tripsPer1k: Number(((r.trips / rows) * 1000).toFixed(1)), runs: r.runs, status: r.status, healed: r.healed, seedMs };
  } finally {
    await cb.close();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const results: Result[] = [];
  for (const rows of SIZES) {
    const r = await runCase(rows);
    results.push(r);
    console.log(`${String(rows).padStart(6)} rows: ${(r.ms / 1000).toFixed(2)} s, ${r.rowsPerSecond} rows/s, peak RSS ${r.maxRssMb} MB, ${r.tripsPer1k} DB round trips per 1k rows, ${r.runs} run(s), ${r.status} (${r.healed} healed; seeding ${(r.seedMs / 1000).toFixed(1)} s)`);
  }
  const table = markdownTable(['bill rows', 'time', 'rows/s', 'peak RSS', 'DB round trips / 1k rows', 'runs', 'status'],
    results.map((r) => [r.rows, `${(r.ms / 1000).toFixed(2)} s`, r.rowsPerSecond, `${r.maxRssMb} MB`, r.tripsPer1k, r.runs, `${r.status} (${r.healed} healed)`]));
  recordBench('bills', results, table);
}

if (require.main === module) run().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
