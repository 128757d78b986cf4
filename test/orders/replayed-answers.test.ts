/**
 * "Believe only answers about what you asked" (notes/wechatpay-v3.md): a response signature covers
 * the body, not the path, so a genuine signed answer about ANOTHER order, replayed by anything
 * between us and WeChat Pay, verifies. Here a replaying proxy sits between lib/wechatpay and the
 * simulator; every answer it hands over is genuinely signed by the simulator. Same user, same
 * amount, so only out_trade_no / out_refund_no can tell the answers apart.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateCredentials } from '../../emulator/credentials';
import { startWechatSimulator, type WechatSimulator } from '../../emulator/wechat';
import type { LogEvent } from '../../lib/log';
import { createOrder } from '../../lib/orders/create';
import { asDatabase } from '../../lib/store/db';
import { COLLECTIONS } from '../../lib/store/collections';
import { queryOwnOrder } from '../../lib/orders/query';
import { reconcile } from '../../lib/orders/reconcile';
import { loadOrderSettings } from '../../lib/orders/settings';
import { syncOrderWithTransaction } from '../../lib/orders/sync';
import type { RefundDeps } from '../../lib/refunds/deps';
import { reconcileRefunds } from '../../lib/refunds/reconcile';
import { requestRefund } from '../../lib/refunds/request';
import { createWechatPayClient } from '../../lib/wechatpay';
import { startHarness, type Harness } from '../cloudbase/helpers';

jest.setTimeout(60_000);

const OPENID = 'oREPLAY00000000000000000001';
const STAFF = 'oSTAFF0000000000000000000001';
const NOTIFY = 'https://notify.example.test/pay/notify';

interface Recorded { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

/** Forwards to the simulator, remembers each answer by path, and can answer one path with another's recording. */
async function startReplayProxy(target: string) {
  const recorded = new Map<string, Recorded>();
  const replay = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const stand = replay.get(path);
      const swap = stand ? recorded.get(stand) : undefined;
      if (swap) {
        res.writeHead(swap.status, swap.headers);
        res.end(swap.body);
        return;
      }
      const upstream = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
        const parts: Buffer[] = [];
        up.on('data', (c: Buffer) => parts.push(c));
        up.on('end', () => {
          const answer = { status: up.statusCode ?? 502, headers: up.headers, body: Buffer.concat(parts) };
          recorded.set(path, answer);
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        });
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** From now on, a request for `asked` gets the answer last recorded for `answeredWith`. */
    answer(asked: string, answeredWith: string) {
      replay.set(asked, answeredWith);
    },
    clear: () => replay.clear(),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

let cb: Harness;
let sim: WechatSimulator;
let proxy: Awaited<ReturnType<typeof startReplayProxy>>;
let client: ReturnType<typeof createWechatPayClient>;
let deps: RefundDeps;
const clock = Date.now();
const logged: Array<{ event: LogEvent; fields: Record<string, unknown> }> = [];

beforeAll(async () => {
  const credentials = generateCredentials();
  sim = await startWechatSimulator({ port: 0, credentials, timeScale: 1000, refundDelaySeconds: 1 });
  proxy = await startReplayProxy(sim.url);
  cb = await startHarness({ envId: credentials.envId });
  for (const name of Object.values(COLLECTIONS)) await cb.db.createCollection(name).catch(() => undefined);
  await cb.db.collection(COLLECTIONS.products).add({ data: { _id: 'tea', name: 'Tea', price: 1200, active: true } });
  client = createWechatPayClient({
    mchid: credentials.mchid, serialNo: credentials.merchant.serialNo, privateKey: credentials.merchant.privateKey,
    apiV3Key: credentials.apiV3Key, appid: credentials.appid, notifyUrl: NOTIFY,
    publicKeyId: credentials.platform.serial, publicKey: credentials.platform.publicKey, baseUrl: proxy.url,
  });
  deps = {
    db: asDatabase(cb.db),
    pay: client,
    refundPay: client,
    merchant: { appid: credentials.appid, mchid: credentials.mchid, notifyUrl: NOTIFY },
    settings: loadOrderSettings({ RECONCILE_MIN_AGE_SECONDS: '0', RECONCILE_TIME_BUDGET_MS: '60000' }),
    refundSettings: { adminOpenids: new Set([STAFF]), reconcileMinAgeSeconds: 0 },
    now: () => clock,
    log: (event, fields = {}) => void logged.push({ event, fields }),
  };
});

afterAll(async () => {
  client?.close();
  await proxy?.close();
  await cb?.stop();
  await sim?.close();
});

beforeEach(() => {
  proxy.clear();
  logged.length = 0;
});

const tea = { kind: 'new' as const, items: [{ productId: 'tea', quantity: 1 }] };
const order = async (no: string) => (await cb.db.collection(COLLECTIONS.orders).doc(no).get()).data;
const anomalies = async (no: string) =>
  (await cb.db.collection(COLLECTIONS.paymentEvents).where({ kind: 'anomaly', outTradeNo: no }).get()).data as Array<{ detail: string }>;

async function payAtSimulator(prepayPackage: string): Promise<void> {
  const res = await fetch(`${sim.url}/__sim/pay`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prepay_id: prepayPackage.replace('prepay_id=', '') }),
  });
  expect(res.status).toBe(200);
}

const queryPath = (no: string) => `/v3/pay/transactions/out-trade-no/${no}`;

describe('payment query answers', () => {
  it('a genuine SUCCESS answer about another order (same payer, same amount) never pays the order asked about', async () => {
    const unpaid = await createOrder(deps, OPENID, tea);
    const paid = await createOrder(deps, OPENID, tea);
    await payAtSimulator(paid.payment.package);
    await client.queryByOutTradeNo(paid.outTradeNo); // the proxy records the genuine, signed SUCCESS answer
    proxy.answer(queryPath(unpaid.outTradeNo), queryPath(paid.outTradeNo));

    // The customer's "is it paid?" and the timer both ask about `unpaid` and get `paid`'s answer.
    const view = await queryOwnOrder(deps, OPENID, unpaid.outTradeNo);
    expect(view.status).toBe('NOTPAY');
    const summary = await reconcile(deps);
    expect(summary.anomalies).toBeGreaterThanOrEqual(1);
    expect((await order(unpaid.outTradeNo)).status).toBe('NOTPAY');
    expect((await order(unpaid.outTradeNo)).transitions).toEqual([]);
    const recorded = await anomalies(unpaid.outTradeNo);
    expect(recorded.map((a) => a.detail)).toContain(`answer is about out_trade_no ${paid.outTradeNo}, not ${unpaid.outTradeNo}`);
    // Alerted: notify.anomaly is one of the log's loud ([ALERT]) events.
    expect(logged).toContainEqual({ event: 'notify.anomaly', fields: expect.objectContaining({ outTradeNo: unpaid.outTradeNo, reason: expect.stringMatching(/answer is about/) }) });
  });

  it('a CLOSED answer about another order does not close the order asked about', async () => {
    const open = await createOrder(deps, OPENID, tea);
    const closed = await createOrder(deps, OPENID, tea);
    await client.closeOrder(closed.outTradeNo);
    await client.queryByOutTradeNo(closed.outTradeNo);
    proxy.answer(queryPath(open.outTradeNo), queryPath(closed.outTradeNo));
    await queryOwnOrder(deps, OPENID, open.outTradeNo);
    expect((await order(open.outTradeNo)).status).toBe('NOTPAY');
    expect((await anomalies(open.outTradeNo)).length).toBeGreaterThanOrEqual(1);
  });

  it('a transaction_id already attached to another order is an anomaly, not a second payment', async () => {
    const first = await createOrder(deps, OPENID, tea);
    const second = await createOrder(deps, OPENID, tea);
    await payAtSimulator(first.payment.package);
    const tx = await client.queryByOutTradeNo(first.outTradeNo);
    expect((await syncOrderWithTransaction(deps, await order(first.outTradeNo), tx, 'query', 'query:first')).kind).toBe('applied');
    // The same payment presented for the other order (its own number, everything else identical).
    const outcome = await syncOrderWithTransaction(deps, await order(second.outTradeNo), { ...tx, out_trade_no: second.outTradeNo }, 'notify', 'notify:reused-txn');
    expect(outcome).toEqual({ kind: 'anomaly', reason: `transaction_id ${tx.transaction_id} already pays order ${first.outTradeNo}` });
    expect((await order(second.outTradeNo)).status).toBe('NOTPAY');
    expect((await anomalies(second.outTradeNo)).map((a) => a.detail)).toContain(outcome.kind === 'anomaly' ? outcome.reason : '');
    // A repeat for the order it belongs to is still fine.
    expect((await syncOrderWithTransaction(deps, await order(first.outTradeNo), tx, 'notify', 'notify:again')).kind).toBe('unchanged');
  });
});

describe('refund query answers', () => {
  it('an answer about another refund of the same order and amount is never applied', async () => {
    const created = await createOrder(deps, OPENID, { kind: 'new', items: [{ productId: 'tea', quantity: 2 }] });
    await payAtSimulator(created.payment.package);
    await queryOwnOrder(deps, OPENID, created.outTradeNo);
    expect((await order(created.outTradeNo)).status).toBe('SUCCESS');
    const r1 = await requestRefund(deps, STAFF, { outTradeNo: created.outTradeNo, amount: 100, reason: 'one', requestKey: 'k1' });
    await sim.state.settled();
    const settled = await client.queryRefund(r1.refund.outRefundNo);
    expect(settled.status).toBe('SUCCESS');
    // The second refund is recorded but not yet known at WeChat Pay (reserved, PROCESSING).
    await fetch(`${sim.url}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: 61 }) });
    await sim.state.settled();
    await fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refundOutcome: 'CLOSED' }) });
    const r2 = await requestRefund(deps, STAFF, { outTradeNo: created.outTradeNo, amount: 100, reason: 'one', requestKey: 'k2' });
    await fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r2.refund.status).toBe('PROCESSING');
    // The timer asks about r2 and is handed r1's genuine SUCCESS.
    proxy.answer(`/v3/refund/domestic/refunds/${r2.refund.outRefundNo}`, `/v3/refund/domestic/refunds/${r1.refund.outRefundNo}`);
    await reconcileRefunds(deps);
    const doc = (await cb.db.collection(COLLECTIONS.refunds).doc(r2.refund.outRefundNo).get()).data;
    expect(doc.status).toBe('PROCESSING');
    expect(logged).toContainEqual({ event: 'refund.anomaly', fields: expect.objectContaining({ outRefundNo: r2.refund.outRefundNo, reason: expect.stringMatching(/answer is about refund/) }) });
    // Only r1 counts as refunded on the order.
    expect((await order(created.outTradeNo)).refundedTotal ?? 0).toBeLessThanOrEqual(100);
  });
});
