/**
 * Database round trips per operation: how many requests the functions' wx-server-sdk sends to the
 * CloudBase admin endpoint for one createOrder, one payNotify (first delivery and a duplicate), one
 * client queryOrder and one reconciliation item. On the real cloud each is a network round trip the
 * merchant pays for in latency, so this is counted, not timed: the figures are exact and do not
 * depend on the machine's load.
 *
 * How: the real local stack (built bundles, function host, simulator), with the functions'
 * TCB_CONTEXT_CNFG pointed at a counting proxy in front of the emulator's /admin. The proxy forwards
 * every request unchanged and tallies it by its `action`; each operation runs alone, so what the
 * proxy saw between its start and its answer is that operation's cost.
 */
import { mkdtempSync, rmSync } from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildNotification } from '../../lib/wechatpay';
import { startLocalStack, type LocalStack } from '../local/stack';
import { markdownTable, recordBench } from './peers';

/** Counted at commit 1a2c881 (before issue #16), the same way; kept so the table shows the change. */
const BEFORE: Record<string, number> = {
  'createOrder (new order)': 3,
  'payNotify, first delivery': 5,
  'payNotify, duplicate delivery': 7,
  'queryOrder, already paid': 1,
  'queryOrder, pending → paid at WeChat Pay': 5,
  'reconcile, one expired order closed': 4,
  'reconcile, one pending order paid at WeChat Pay': 4,
};

/**
 * Counted by this script at ef5a2ab, just before the request path stopped clearing auditPending (each
 * step's third write, now the timer's audit pass, batched). Later than bench/roundtrips.txt's figures
 * of e59f932: the transaction_id uniqueness read (one getDocument on the duplicate and query paths)
 * and the fulfilment timer's reads (fixed tick 5 → 8) came in between.
 */
const BEFORE_AUDIT_PASS: Record<string, number> = {
  'createOrder (new order)': 3,
  'payNotify, first delivery': 3,
  'payNotify, duplicate delivery': 5,
  'queryOrder, already paid': 1,
  'queryOrder, pending → paid at WeChat Pay': 5,
  'refundOrder (staff, part of a paid order)': 9,
  'payNotify, REFUND.SUCCESS first delivery': 9,
  'reconcile, one expired order closed': 3,
  'reconcile, one pending order paid at WeChat Pay': 4,
};

interface Counter { url: string; take(): Record<string, number>; close(): Promise<void> }

/** An HTTP proxy that forwards to `target()` and counts requests by their admin `action`. */
async function countingProxy(target: () => string): Promise<Counter> {
  let counts: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let action = 'multipart';
      try {
        action = String((JSON.parse(body.toString('utf8')) as { action?: unknown }).action);
      } catch { /* a cloud call (multipart) */ }
      counts[action] = (counts[action] ?? 0) + 1;
      const up = http.request(`${target()}${req.url?.replace(/^\/admin/, '') ?? ''}`, { method: req.method, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.on('error', (e) => { res.writeHead(502); res.end(e.message); });
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin`,
    take() {
      const c = counts;
      counts = {};
      return c;
    },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const total = (c: Record<string, number>): number => Object.values(c).reduce((a, b) => a + b, 0);
const describe = (c: Record<string, number>): string => Object.entries(c).map(([a, n]) => `${a.replace(/^database\./, '')}×${n}`).join(', ');

async function callFunction(stack: LocalStack, name: string, data: unknown, openid: string): Promise<any> {
  const res = await fetch(`${stack.cloudbaseUrl}/functions/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data, openid }) });
  const answer = (await res.json()) as { errCode?: number; errMsg?: string; result?: any };
  if (answer.errCode) throw new Error(`${name}: ${answer.errMsg}`);
  if (answer.result?.error) throw new Error(`${name}: ${JSON.stringify(answer.result.error)}`);
  return answer.result;
}

async function sim(stack: LocalStack, path: string, body: unknown): Promise<any> {
  const res = await fetch(`${stack.simulatorUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

function paymentNotification(stack: LocalStack, outTradeNo: string, openid: string, total: number): { headers: Record<string, string>; body: string } {
  const c = stack.credentials;
  return buildNotification({
    eventType: 'TRANSACTION.SUCCESS', apiV3Key: c.apiV3Key, privateKey: c.platform.privateKey, serial: c.platform.serial,
    resource: { appid: c.appid, mchid: c.mchid, out_trade_no: outTradeNo, transaction_id: `4200${Date.now()}`.padEnd(28, '0'), trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: 'ok', bank_type: 'OTHERS', success_time: new Date().toISOString(), payer: { openid }, amount: { total, payer_total: total, currency: 'CNY', payer_currency: 'CNY' } },
  }) as { headers: Record<string, string>; body: string };
}

async function postNotification(stack: LocalStack, n: { headers: Record<string, string>; body: string }): Promise<void> {
  const res = await fetch(`${stack.cloudbaseUrl}/pay/notify`, { method: 'POST', headers: { 'content-type': 'application/json', ...n.headers }, body: n.body });
  if (res.status !== 204) throw new Error(`payNotify answered ${res.status}: ${await res.text()}`);
}

async function trigger(stack: LocalStack): Promise<any> {
  const res = await fetch(`${stack.cloudbaseUrl}/__emulator/trigger/queryOrder`, { method: 'POST' });
  return ((await res.json()) as { result?: unknown }).result;
}

async function seedExpired(stack: LocalStack, n: number): Promise<void> {
  const at = new Date(Date.now() - 3600_000);
  await stack.admin.insert('orders', Array.from({ length: n }, (_x, i) => ({
    _id: `RT${at.getTime()}${i}`, outTradeNo: `RT${at.getTime()}${i}`, openid: 'oROUNDTRIP', items: [{ productId: 'tea', name: 'Oolong tea', unitPrice: 1200, quantity: 1 }],
    amount: { total: 1200, currency: 'CNY' }, description: 'Oolong tea x1', status: 'NOTPAY', prepayId: null, prepayExpiresAt: null,
    expiresAt: new Date(Date.now() - 1000), transitions: [], lastCheckedAt: at, createdAt: at, updatedAt: at,
  })));
}

/**
 * `n` paid orders still marked auditPending (as every step leaves them), an hour old; with their
 * transition records when `recorded`, without (a caller that died between its two writes) otherwise.
 */
async function seedMarked(stack: LocalStack, n: number, recorded: boolean): Promise<void> {
  const at = new Date(Date.now() - 3600_000);
  const nos = Array.from({ length: n }, (_x, i) => `RA${at.getTime()}${String(i).padStart(4, '0')}`);
  await stack.admin.insert('orders', nos.map((no) => ({
    _id: no, outTradeNo: no, openid: 'oROUNDTRIP', items: [{ productId: 'tea', name: 'Oolong tea', unitPrice: 1200, quantity: 1 }],
    amount: { total: 1200, currency: 'CNY' }, description: 'Oolong tea x1', status: 'SUCCESS', prepayId: null, prepayExpiresAt: null,
    expiresAt: at, transactionId: `4200${no}`, paidAt: at, transitions: [{ from: 'NOTPAY', to: 'SUCCESS', source: 'notify', at, transactionId: `4200${no}` }],
    auditPending: true, lastCheckedAt: at, createdAt: at, updatedAt: at,
  })));
  if (recorded) {
    await stack.admin.insert('payment_events', nos.map((no) => ({
      _id: `transition:${no}:NOTPAY:SUCCESS`, kind: 'transition', source: 'notify', outTradeNo: no, tradeState: 'SUCCESS', transactionId: `4200${no}`, amountTotal: 1200, at,
    })));
  }
}

const STAFF = 'oROUNDTRIPSTAFF';

/** REFUND.SUCCESS for a refund WeChat Pay accepted (its stored refund_id), as WeChat Pay would send it. */
function refundNotification(stack: LocalStack, order: { outTradeNo: string; transactionId: string; total: number }, refund: { outRefundNo: string; refundId: string; amount: number }): { headers: Record<string, string>; body: string } {
  const c = stack.credentials;
  return buildNotification({
    eventType: 'REFUND.SUCCESS', apiV3Key: c.apiV3Key, privateKey: c.platform.privateKey, serial: c.platform.serial,
    resource: {
      mchid: c.mchid, out_trade_no: order.outTradeNo, transaction_id: order.transactionId, out_refund_no: refund.outRefundNo, refund_id: refund.refundId,
      refund_status: 'SUCCESS', success_time: new Date().toISOString(), user_received_account: '支付用户零钱',
      amount: { total: order.total, refund: refund.amount, payer_total: order.total, payer_refund: refund.amount },
    },
  }) as { headers: Record<string, string>; body: string };
}

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-bench-roundtrips-'));
  let adminUrl = '';
  const proxy = await countingProxy(() => adminUrl);
  const stack = await startLocalStack({
    dataDir, cloudbasePort: 0, simulatorPort: 0, functionTimeoutMs: 30_000, log: () => undefined,
    functionEnv: { TCB_CONTEXT_CNFG: JSON.stringify({ URL: proxy.url }), RECONCILE_MIN_AGE_SECONDS: '0', RECONCILE_TIME_BUDGET_MS: '60000', REFUND_ADMIN_OPENIDS: STAFF },
  });
  adminUrl = `${stack.cloudbaseUrl}/admin`;
  const rows: Array<{ operation: string; roundTrips: number; actions: string }> = [];
  /** Runs op alone and records what the proxy saw, minus `fixed` (per tick), divided by `per` items. */
  const measure = async (operation: string, op: () => Promise<unknown>, per = 1, fixed: Record<string, number> = {}): Promise<void> => {
    proxy.take();
    await op();
    const c = proxy.take();
    for (const [k, n] of Object.entries(fixed)) c[k] = (c[k] ?? 0) - n;
    const counts = Object.fromEntries(Object.entries(c).map(([k, n]) => [k, n / per]).filter(([, n]) => n !== 0));
    rows.push({ operation, roundTrips: total(counts), actions: describe(counts) });
  };
  try {
    const openid = 'oROUNDTRIP';
    // Warm every instance once so no first-call work (e.g. secrets) lands in a measured window.
    for (const fn of ['createOrder', 'queryOrder']) await callFunction(stack, fn, fn === 'createOrder' ? { items: [{ productId: 'tea', quantity: 1 }] } : { outTradeNo: 'WARMUP000000' }, openid).catch(() => undefined);
    await trigger(stack);

    let created: { outTradeNo: string; amount: { total: number } } = { outTradeNo: '', amount: { total: 0 } };
    await measure('createOrder (new order)', async () => { created = await callFunction(stack, 'createOrder', { items: [{ productId: 'tea', quantity: 1 }] }, openid); });
    const notification = paymentNotification(stack, created.outTradeNo, openid, created.amount.total);
    await measure('payNotify, first delivery', () => postNotification(stack, notification));
    await measure('payNotify, duplicate delivery', () => postNotification(stack, notification));
    await measure('queryOrder, already paid', () => callFunction(stack, 'queryOrder', { outTradeNo: created.outTradeNo }, openid));

    // Paid at WeChat Pay, its notification held back: the client's query is what finds the payment.
    await sim(stack, '/__sim/faults', { notificationDelayMs: 3_600_000 });
    const second = await callFunction(stack, 'createOrder', { items: [{ productId: 'tea', quantity: 1 }] }, openid);
    await sim(stack, '/__sim/pay', { prepay_id: second.payment.package.slice('prepay_id='.length) });
    await measure('queryOrder, pending → paid at WeChat Pay', async () => {
      const view = await callFunction(stack, 'queryOrder', { outTradeNo: second.outTradeNo }, openid);
      if (view.status !== 'SUCCESS') throw new Error(`queryOrder saw ${view.status}`);
    });

    // A refund of part of the order paid at WeChat Pay (its notification held back, as above), then its REFUND.SUCCESS.
    let refundView: { outRefundNo: string; amount: number } = { outRefundNo: '', amount: 0 };
    await measure('refundOrder (staff, part of a paid order)', async () => {
      refundView = (await callFunction(stack, 'refundOrder', { outTradeNo: second.outTradeNo, amount: 100, reason: 'roundtrips', requestKey: 'rt1' }, STAFF)).refund;
    });
    const [refundDoc] = await stack.admin.find('refunds', { _id: refundView.outRefundNo });
    const [paidDoc] = await stack.admin.find('orders', { _id: second.outTradeNo });
    const refunded = refundNotification(stack, { outTradeNo: second.outTradeNo, transactionId: String(paidDoc.transactionId), total: second.amount.total }, { outRefundNo: refundView.outRefundNo, refundId: String(refundDoc.refundId), amount: refundView.amount });
    await measure('payNotify, REFUND.SUCCESS first delivery', () => postNotification(stack, refunded));

    // One timer tick's fixed cost (the batch queries), then the same tick with N items: the difference per item.
    // The steps above left their orders marked for the timer's audit pass: one tick verifies them first.
    await trigger(stack);
    const ITEMS = 10;
    proxy.take();
    await trigger(stack);
    const fixed = proxy.take();
    const perItem = async (operation: string, seed: () => Promise<void>, expect: (s: any) => boolean): Promise<void> => {
      await seed();
      await measure(operation, async () => {
        const summary = await trigger(stack);
        if (!expect(summary)) throw new Error(`${operation}: tick summary ${JSON.stringify(summary)}`);
      }, ITEMS, fixed);
      await trigger(stack); // the audit pass verifies the items' steps: the next case starts with none marked
    };
    await perItem('reconcile, one expired order closed', () => seedExpired(stack, ITEMS), (s) => s.closed === ITEMS);
    await perItem('reconcile, one pending order paid at WeChat Pay', async () => {
      for (let i = 0; i < ITEMS; i++) {
        const o = await callFunction(stack, 'createOrder', { items: [{ productId: 'tea', quantity: 1 }] }, openid);
        await sim(stack, '/__sim/pay', { prepay_id: o.payment.package.slice('prepay_id='.length) });
      }
    }, (s) => s.paid === ITEMS);

    // The timer's audit pass: marked orders verified in batches of 100 (lib/orders/audit.ts). An empty
    // tick already includes the pass's one (empty) read of marked orders, so what a tick with marked
    // orders costs beyond it is the pass's cost minus that read.
    const auditRows: Array<{ operation: string; roundTrips: number; actions: string }> = [];
    const auditPass = async (operation: string, n: number, recorded: boolean): Promise<void> => {
      await seedMarked(stack, n, recorded);
      proxy.take();
      const summary = await trigger(stack);
      const c = proxy.take();
      if (summary.verified !== n || summary.audited !== (recorded ? 0 : n)) throw new Error(`${operation}: tick summary ${JSON.stringify(summary)}`);
      for (const [k, m] of Object.entries(fixed)) c[k] = (c[k] ?? 0) - m;
      const counts = Object.fromEntries(Object.entries(c).filter(([, m]) => m !== 0));
      auditRows.push({ operation, roundTrips: total(counts), actions: describe(counts) });
    };
    await auditPass('audit pass, 100 marked orders (1 batch), records there', 100, true);
    await auditPass('audit pass, 100 marked orders (1 batch), records missing', 100, false);
    await auditPass('audit pass, 1000 marked orders (10 batches), records there', 1000, true);

    for (const r of rows) console.log(`${r.operation.padEnd(60)} ${String(r.roundTrips).padStart(3)} round trips (before the audit pass: ${BEFORE_AUDIT_PASS[r.operation] ?? '?'}, before #16: ${BEFORE[r.operation] ?? '?'})  ${r.actions}`);
    for (const r of auditRows) console.log(`${r.operation.padEnd(60)} ${String(r.roundTrips).padStart(3)} round trips beyond an empty tick  ${r.actions}`);
    console.log(`timer tick, fixed cost: ${total(fixed)} (${describe(fixed)})`);
    const table = markdownTable(['operation', 'round trips', 'before the audit pass', 'before #16', 'requests'],
      rows.map((r) => [r.operation, r.roundTrips, BEFORE_AUDIT_PASS[r.operation] ?? '?', BEFORE[r.operation] ?? '?', r.actions]));
    const auditTable = markdownTable(['timer audit pass', 'round trips beyond an empty tick', 'requests'], auditRows.map((r) => [r.operation, r.roundTrips, r.actions]));
    recordBench('roundtrips', { rows, auditRows, fixedTick: fixed }, `${table}\n\n${auditTable}\n\nRequests from the functions' wx-server-sdk to the CloudBase admin endpoint, counted by a proxy in front of it (exact, load-independent). A timer tick also costs ${total(fixed)} fixed requests (${describe(fixed)}) however many items it works, one of them the audit pass's read of marked orders; per-item figures are (tick with ${ITEMS} items − empty tick) / ${ITEMS}. Each step a request makes stays marked until the timer's audit pass verifies its records in batches of 100 (3 requests per batch, 4 when records are missing: about 0.03 per order). "before the audit pass" was counted the same way at ef5a2ab, "before #16" at commit 1a2c881.`);
  } finally {
    await stack.close();
    await proxy.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) run().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
