/**
 * The simulator journals what a request changed before answering it, but a query changes nothing and
 * writes nothing: serialising 100k orders took about a second, which every query of the bill
 * reconciliation's healing phase used to pay (the 100k-row bench timed out).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stateLog, type WechatSimulator } from '../../emulator/wechat';
import { rawFetch, signedRequest, startSim } from './helpers';

let dir: string;
let sim: WechatSimulator;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-persist-'));
  sim = await startSim({ dataDir: dir });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const onDisk = (): string => readFileSync(stateLog(dir), 'utf8');
const bytesOnDisk = (): number => statSync(stateLog(dir)).size;

test('queries answer without saving; the next request that may change something saves what changed', async () => {
  const { mchid } = sim.credentials;
  const created = await signedRequest(sim, 'POST', '/v3/pay/transactions/jsapi', {
    appid: sim.credentials.appid, mchid, description: 'persist', out_trade_no: 'PERSIST_0001', notify_url: 'https://notify.local.test/pay', amount: { total: 100 }, payer: { openid: 'oPERSIST000000000000000001' },
  });
  expect(created.status).toBe(200);
  expect(onDisk()).toContain('PERSIST_0001');

  // A change behind the API's back (as the bills bench seeds its ledger): queries write nothing at all…
  sim.state.orders.get(`${mchid}:PERSIST_0001`)!.description = 'changed in memory';
  const before = bytesOnDisk();
  const q = await signedRequest(sim, 'GET', `/v3/pay/transactions/out-trade-no/PERSIST_0001?mchid=${mchid}`);
  expect(q.status).toBe(200);
  expect((await rawFetch(`${sim.url}/__sim/transactions`)).status).toBe(200);
  expect((await signedRequest(sim, 'GET', `/v3/refund/domestic/refunds/NOPE_0001`)).status).toBe(404);
  expect(bytesOnDisk()).toBe(before);
  expect(onDisk()).not.toContain('changed in memory');

  // …a request that changes an order journals that order, as it is, before answering.
  expect((await signedRequest(sim, 'POST', '/v3/pay/transactions/out-trade-no/PERSIST_0001/close', { mchid })).status).toBe(204);
  expect(bytesOnDisk()).toBeGreaterThan(before);
  expect(onDisk()).toContain('changed in memory');
});

test('GET /__sim/transactions?out_trade_no= (or transaction_id=) answers that one transaction, by key', async () => {
  const { mchid } = sim.credentials;
  const all = (await rawFetch(`${sim.url}/__sim/transactions`)).json.transactions;
  expect(all.length).toBeGreaterThan(0);
  const one = await rawFetch(`${sim.url}/__sim/transactions?mchid=${mchid}&out_trade_no=PERSIST_0001`);
  expect(one.json.transactions.map((t: { out_trade_no: string }) => t.out_trade_no)).toEqual(['PERSIST_0001']);
  expect((await rawFetch(`${sim.url}/__sim/transactions?out_trade_no=NOPE_0001`)).json.transactions).toEqual([]);
  expect((await rawFetch(`${sim.url}/__sim/transactions?transaction_id=4200000000000000000000000000`)).json.transactions).toEqual([]);
});
