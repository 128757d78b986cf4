/**
 * The WeChat Pay simulator keeps its state across a restart (LOCAL_DATA_DIR/wechat/state.log):
 * an unpaid order stays payable, a paid one refundable, a PROCESSING refund and a pending notification
 * retry carry on, faults and the clock offset stay. First through the local stack restarted on its data
 * dir, then with the simulator process SIGKILLed right after an acknowledged prepay.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createWechatPayClient } from '../../lib/wechatpay';
import { startLocalStack, type LocalStack } from '../../scripts/local/stack';
import { loadOrCreateCredentials } from '../../emulator/credentials';
import { seedRunCredentials } from '../support/run-credentials';
import { spawnSimulator, type SimProcess } from '../support/sim-process';

jest.setTimeout(120_000);
const ROOT = resolve(__dirname, '..', '..');
const dirs: string[] = [];
/** A data dir of its own, holding the run's dev merchant (no RSA key generation per test). */
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  seedRunCredentials(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function post(url: string, body: unknown): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, ...((await res.json()) as object) };
}
const get = async (url: string): Promise<any> => (await fetch(url)).json();

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const start = (dataDir: string, build: boolean) =>
  startLocalStack({ dataDir, cloudbasePort: 0, simulatorPort: 0, timers: false, timeScale: 1, build, log: () => undefined, functionEnv: { RECONCILE_MIN_AGE_SECONDS: '0', REFUND_RECONCILE_MIN_AGE_SECONDS: '0' } });

test('restarting the stack keeps unpaid orders payable, paid ones refundable, refunds and retries going, faults and clock', async () => {
  const dataDir = tempDir('wxcloud-pay-restart-');
  let stack: LocalStack = await start(dataDir, true);
  const call = async (name: string, data: unknown, openid: string) => (await post(`${stack.cloudbaseUrl}/functions/${name}`, { data, openid })).result;
  const order = async (no: string) => (await stack.admin.find('orders', { _id: no }))[0];
  const prepayOf = async (no: string) => (await get(`${stack.simulatorUrl}/__sim/transactions`)).transactions.find((t: any) => t.out_trade_no === no)?.prepay_id;
  const payAtSim = async (no: string) => post(`${stack.simulatorUrl}/__sim/pay`, { prepay_id: await prepayOf(no) });
  try {
    const unpaid = (await call('createOrder', { items: [{ productId: 'tea', quantity: 1 }] }, 'o-restart-1')).outTradeNo;
    const paid = (await call('createOrder', { items: [{ productId: 'coffee', quantity: 2 }] }, 'o-restart-2')).outTradeNo;
    await payAtSim(paid);
    await waitFor('paid', async () => (await order(paid)).status === 'SUCCESS');
    const partial = await call('refundOrder', { outTradeNo: paid, amount: 600, reason: 'restart test' }, stack.staffOpenid);
    expect(partial.refund.status).toBe('PROCESSING'); // the simulator finishes it 5 business seconds later
    await post(`${stack.simulatorUrl}/__sim/faults`, { dropNotifications: 1 });
    const dropped = (await call('createOrder', { items: [{ productId: 'cake', quantity: 1 }] }, 'o-restart-3')).outTradeNo;
    expect((await payAtSim(dropped)).trade_state).toBe('SUCCESS');
    await stack.simulator.state.settled(0);
    await post(`${stack.simulatorUrl}/__sim/clock`, { advanceSeconds: 1 });
    await stack.close();

    stack = await start(dataDir, false);
    expect((await get(`${stack.simulatorUrl}/__sim/faults`)).faults).toEqual({ dropNotifications: 1 });
    expect((await get(`${stack.simulatorUrl}/__sim/clock`)).offsetMs).toBe(1000);
    const notes = (await get(`${stack.simulatorUrl}/__sim/notifications`)).notifications ?? (await get(`${stack.simulatorUrl}/__sim/notifications`));
    expect(JSON.stringify(notes)).toContain(dropped);
    await post(`${stack.simulatorUrl}/__sim/faults`, {});

    // The old NOTPAY order: its prepay is still known (was PREPAY_NOT_FOUND), and the payment lands.
    const pay = await payAtSim(unpaid);
    expect([pay.status, pay.trade_state]).toEqual([200, 'SUCCESS']);
    await waitFor('old order paid', async () => (await order(unpaid)).status === 'SUCCESS');
    // The paid order refunds (was a retryable error holding the amount).
    const rest = await call('refundOrder', { outTradeNo: paid, reason: 'after restart' }, stack.staffOpenid);
    expect(rest.refund).toMatchObject({ status: 'PROCESSING', amount: 3600 - 600 });
    // Business time moves on past WeChat Pay's one-minute spacing between refunds of one order: the
    // refund from before the restart finishes, the second one (refused "not now" right after the
    // first, so still queued) is submitted by the timer, the dropped notification is retried.
    await post(`${stack.simulatorUrl}/__sim/clock`, { advanceSeconds: 61 });
    await waitFor('the queued refund submitted', async () => {
      await post(`${stack.cloudbaseUrl}/__emulator/trigger/queryOrder`, {});
      const refunds = await stack.admin.find('refunds', { outTradeNo: paid });
      return refunds.length === 2 && refunds.every((r: any) => r.refundId);
    });
    // WeChat Pay finishes it 5 business seconds later (real time on this stack): the clock moves on by them.
    await post(`${stack.simulatorUrl}/__sim/clock`, { advanceSeconds: stack.simulator.state.refundDelaySeconds });
    await waitFor('both refunds SUCCESS', async () => {
      await post(`${stack.cloudbaseUrl}/__emulator/trigger/queryOrder`, {});
      const refunds = await stack.admin.find('refunds', { outTradeNo: paid });
      return refunds.length === 2 && refunds.every((r: any) => r.status === 'SUCCESS');
    });
    await waitFor('retried notification delivered', async () => (await order(dropped)).status === 'SUCCESS');
  } finally {
    await stack.close();
  }
});

function startSimProcess(dataDir: string): Promise<SimProcess> {
  return spawnSimulator(join(ROOT, 'emulator/wechat/cli.ts'), { LOCAL_DATA_DIR: dataDir, WECHAT_SIMULATOR_PORT: '0' });
}

test('an acknowledged prepay survives SIGKILL of the simulator process', async () => {
  const dataDir = tempDir('wxcloud-pay-simkill-');
  const c = loadOrCreateCredentials(dataDir);
  let sim = await startSimProcess(dataDir);
  const client = (baseUrl: string) =>
    createWechatPayClient({
      mchid: c.mchid, serialNo: c.merchant.serialNo, privateKey: c.merchant.privateKey, apiV3Key: c.apiV3Key,
      appid: c.appid, notifyUrl: 'https://notify.local.test/pay/notify', baseUrl,
      publicKeyId: c.platform.serial, publicKey: c.platform.publicKey, maxRetries: 0,
    });
  const { prepay_id } = await client(sim.url).jsapiPrepay({ description: 'kill test', out_trade_no: 'KILL0001', amount: { total: 123 }, payer: { openid: 'o-kill' } });
  await new Promise<void>((r) => (sim.child.once('exit', () => r()), sim.child.kill('SIGKILL')));
  sim = await startSimProcess(dataDir);
  try {
    const pay = await post(`${sim.url}/__sim/pay`, { prepay_id, result: 'SUCCESS' });
    expect([pay.status, pay.trade_state, pay.out_trade_no]).toEqual([200, 'SUCCESS', 'KILL0001']);
    const q = await client(sim.url).queryByOutTradeNo('KILL0001');
    expect(q).toMatchObject({ trade_state: 'SUCCESS', amount: { total: 123 } });
  } finally {
    sim.child.kill('SIGKILL');
  }
});
