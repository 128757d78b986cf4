/**
 * The notify path through the local stack: genuine signed + encrypted TRANSACTION.SUCCESS
 * notifications POSTed to /pay/notify (CloudBase emulator HTTP access → payNotify bundle →
 * wx-server-sdk → database) at concurrency 1, 8 and 32. Reports notifications/s, p50/p99 latency,
 * and checks that none is lost: every one answered 204 and every order ends SUCCESS with one transition.
 * The emulator runs at most 10 instances per function (its default), so 32 in flight queue.
 * Also printed: CPU time per notification, of this process (the sender, the CloudBase emulator and the
 * simulator) and of the function instances (Linux: /proc). Unlike the rate it hardly moves when other
 * work shares the machine, so it is the figure to compare runs taken under load by.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'fs';
import { Agent, request } from 'http';
import { loadavg, tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { buildNotification } from '../../lib/wechatpay';
import { startLocalStack, type LocalStack } from '../local/stack';
import { markdownTable, recordBench } from './peers';

const PER_LEVEL = Number(process.env.BENCH_NOTIFY_COUNT ?? 300);
const LEVELS = [1, 8, 32];

interface Level { concurrency: number; count: number; perSecond: number; p50: number; p99: number; non2xx: number; lost: number; cpuMainMs: number; cpuFunctionsMs?: number; load: number }

/** CPU ms used so far by this process's children that are still running (the function instances). */
function childrenCpuMs(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const tick = 100; // USER_HZ, 100 on every Linux Node supports
  let ms = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) === process.pid) ms += ((Number(f[11]) + Number(f[12])) * 1000) / tick;
    } catch {
      // gone meanwhile
    }
  }
  return ms;
}

/** WeChat Pay's side: one keep-alive connection per sender, like its notifier's connection pool. */
function post(agent: Agent, url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

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
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const cpuBefore = process.cpuUsage();
  const childrenBefore = childrenCpuMs();
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
      const status = await post(agent, `${stack.cloudbaseUrl}/pay/notify`, { 'content-type': 'application/json', ...n.headers }, n.body);
      latencies.push(performance.now() - t);
      if (status < 200 || status >= 300) non2xx += 1;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const childrenAfter = childrenCpuMs();
  agent.destroy();
  const paid = await stack.admin.find('orders', { _id: { $in: orders.map((o) => o.no) }, status: 'SUCCESS' });
  const oneTransition = paid.filter((o) => (o.transitions as unknown[]).length === 1).length;
  return {
    concurrency, count: orders.length, perSecond: orders.length / seconds, p50: q(latencies, 0.5), p99: q(latencies, 0.99), non2xx, lost: orders.length - oneTransition,
    cpuMainMs: (cpu.user + cpu.system) / 1000 / orders.length,
    cpuFunctionsMs: childrenBefore === undefined || childrenAfter === undefined ? undefined : (childrenAfter - childrenBefore) / orders.length,
    load: loadavg()[0],
  };
}

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-bench-notify-'));
  const stack = await startLocalStack({ dataDir, cloudbasePort: 0, simulatorPort: 0, functionTimeoutMs: 30_000, log: () => undefined });
  try {
    // Warm-up at the highest concurrency: every instance the measured levels use is started (and its
    // code compiled) here, so no level pays for cold starts. 32 in flight ≥ the 10 instances.
    await level(stack, Math.max(...LEVELS));
    const levels: Level[] = [];
    for (const c of LEVELS) {
      const l = await level(stack, c);
      levels.push(l);
      console.log(`concurrency ${String(c).padStart(2)}: ${l.perSecond.toFixed(1)} notifications/s, p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, non-2xx ${l.non2xx}, lost ${l.lost} (of ${l.count}); CPU per notification ${l.cpuMainMs.toFixed(2)} ms here + ${l.cpuFunctionsMs?.toFixed(2) ?? '?'} ms in instances; load ${l.load.toFixed(1)}`);
    }
    const table = markdownTable(['concurrency', 'notifications', 'per second', 'p50 ms', 'p99 ms', 'non-2xx', 'lost', 'CPU ms/notification (sender + emulator + simulator)', 'CPU ms/notification (instances)', 'load average'],
      levels.map((l) => [l.concurrency, l.count, l.perSecond.toFixed(1), l.p50.toFixed(1), l.p99.toFixed(1), l.non2xx, l.lost, l.cpuMainMs.toFixed(2), l.cpuFunctionsMs?.toFixed(2) ?? 'n/a', l.load.toFixed(1)]));
    recordBench('notify', levels, `${table}\n\nThrough the CloudBase emulator's HTTP access to the payNotify bundle (≤ 10 instances), each notification signed and encrypted afresh and sent on keep-alive connections; lost = not SUCCESS with exactly one transition afterwards. CPU per notification counts this process (sender, emulator, simulator) and the function instances; with the load average (1 min) at the end of the level it says how far the rate was the machine's share.`);
    if (levels.some((l) => l.lost > 0 || l.non2xx > 0)) process.exitCode = 1;
  } finally {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) run().then(() => process.exit(process.exitCode ?? 0), (err) => { console.error(err); process.exit(1); });
