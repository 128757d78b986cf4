/**
 * The notify path through the local stack: genuine signed + encrypted TRANSACTION.SUCCESS
 * notifications POSTed to /pay/notify (CloudBase emulator HTTP access → payNotify bundle →
 * wx-server-sdk → database) at concurrency 1, 8 and 32. Reports notifications/s, p50/p99 latency,
 * and checks that none is lost: every one answered 204 and every order ends SUCCESS with one transition.
 * The emulator runs at most 10 instances per function (its default), so 32 in flight queue.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { buildNotification } from '../../lib/wechatpay';
import { startLocalStack, type LocalStack } from '../local/stack';
import { markdownTable, recordBench } from './peers';

const PER_LEVEL = Number(process.env.BENCH_NOTIFY_COUNT ?? 300);
const LEVELS = [1, 8, 32];

interface Level { concurrency: number; count: number; perSecond: number; p50: number; p99: number; non2xx: number; lost: number }

const q = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

async function seedOrders(stack: LocalStack, prefix: string, n: number): Promise<Array<{ no: string; openid: string }>> {
  const now = Date.now();
  const orders = Array.from({ length: n }, (_x, i) => ({ no: `N${prefix}${String(i).padStart(8, '0')}`, openid: `oBENCH${i % 50}` }));
  await stack.admin.insert('orders', orders.map(({ no, openid }) => ({
    _id: no, outTradeNo: no, openid, items: [{ productId: 'tea', name: 'Tea', unitPrice: 1200, quantity: 1 }], amount: { total: 1200, currency: 'CNY' },
    description: 'Tea x1', status: 'NOTPAY', prepayId: null, prepayExpiresAt: null, expiresAt: new Date(now + 3600_000), transitions: [],
    lastCheckedAt: new Date(now), createdAt: new Date(now), updatedAt: new Date(now),
  })));
  return orders;
}

let round = 0;

async function level(stack: LocalStack, concurrency: number): Promise<Level> {
  const c = stack.credentials;
  round += 1;
  const orders = await seedOrders(stack, `r${round}c${concurrency}x`, PER_LEVEL);
  const latencies: number[] = [];
  let non2xx = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < orders.length) {
      const o = orders[next++];
      // Signed at send time, like WeChat Pay does for every attempt.
      const n = buildNotification({
        eventType: 'TRANSACTION.SUCCESS', apiV3Key: c.apiV3Key, privateKey: c.platform.privateKey, serial: c.platform.serial,
        resource: { appid: c.appid, mchid: c.mchid, out_trade_no: o.no, transaction_id: `42${o.no.replace(/\D/g, '').padStart(26, '0')}`, trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: 'ok', bank_type: 'OTHERS', success_time: new Date().toISOString(), payer: { openid: o.openid }, amount: { total: 1200, payer_total: 1200, currency: 'CNY', payer_currency: 'CNY' } },
      });
      const t = performance.now();
      const res = await fetch(`${stack.cloudbaseUrl}/pay/notify`, { method: 'POST', headers: { 'content-type': 'application/json', ...n.headers }, body: n.body });
      await res.text();
      latencies.push(performance.now() - t);
      if (res.status < 200 || res.status >= 300) non2xx += 1;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const paid = await stack.admin.find('orders', { _id: { $in: orders.map((o) => o.no) }, status: 'SUCCESS' });
  const oneTransition = paid.filter((o) => (o.transitions as unknown[]).length === 1).length;
  return { concurrency, count: orders.length, perSecond: orders.length / seconds, p50: q(latencies, 0.5), p99: q(latencies, 0.99), non2xx, lost: orders.length - oneTransition };
}

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-bench-notify-'));
  const stack = await startLocalStack({ dataDir, cloudbasePort: 0, simulatorPort: 0, functionTimeoutMs: 30_000, log: () => undefined });
  try {
    await level(stack, 8); // warm-up: start every instance once
    const levels: Level[] = [];
    for (const c of LEVELS) {
      const l = await level(stack, c);
      levels.push(l);
      console.log(`concurrency ${String(c).padStart(2)}: ${l.perSecond.toFixed(1)} notifications/s, p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, non-2xx ${l.non2xx}, lost ${l.lost} (of ${l.count})`);
    }
    const table = markdownTable(['concurrency', 'notifications', 'per second', 'p50 ms', 'p99 ms', 'non-2xx', 'lost'],
      levels.map((l) => [l.concurrency, l.count, l.perSecond.toFixed(1), l.p50.toFixed(1), l.p99.toFixed(1), l.non2xx, l.lost]));
    recordBench('notify', levels, `${table}\n\nThrough the CloudBase emulator's HTTP access to the payNotify bundle (≤ 10 instances), each notification signed and encrypted afresh; lost = not SUCCESS with exactly one transition afterwards.`);
    if (levels.some((l) => l.lost > 0 || l.non2xx > 0)) process.exitCode = 1;
  } finally {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) run().then(() => process.exit(process.exitCode ?? 0), (err) => { console.error(err); process.exit(1); });
