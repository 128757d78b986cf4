/**
 * `npm run demo`: the whole payment loop on the embedded local stack, from nothing. A user logs
 * in, orders, pays in the WeChat Pay simulator (as wx.requestPayment would), the simulator
 * notifies payNotify, and queryOrder confirms; then staff ship (shipOrder → uploadShippingInfo), the
 * customer confirms receipt on the emulated platform and its settlement push settles the order.
 * Each step is printed with its timing; exit 0 on success, 1 with the failing step named otherwise.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { chinaDateOf, dayWindow } from '../lib/bills/days';
import { formatBillDay } from './local/bill-report';
import { startLocalStack, type LocalStack } from './local/stack';
import { cliArgs, padEndDisplay, t } from './i18n';

const DEMO_OPENID = 'oDEMOUSER000000000000000001';

function yuan(fen: number): string {
  return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

async function step<T>(title: string, run: () => Promise<T>, describe: (value: T) => string): Promise<T> {
  const started = Date.now();
  try {
    const value = await run();
    console.log(`  ✓ ${padEndDisplay(title, 42)} ${String(Date.now() - started).padStart(5)} ms  ${describe(value)}`);
    return value;
  } catch (err) {
    console.log(`  ✗ ${padEndDisplay(title, 42)} ${String(Date.now() - started).padStart(5)} ms  ${(err as Error).message}`);
    throw err;
  }
}

async function callFunction(stack: LocalStack, name: string, data: unknown, openid = DEMO_OPENID): Promise<any> {
  const res = await fetch(`${stack.cloudbaseUrl}/functions/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data, openid }),
  });
  const payload = (await res.json()) as { result?: any; errCode?: number; errMsg?: string };
  if (payload.errCode) throw new Error(`${name}: ${payload.errMsg}`);
  if (payload.result?.error) throw new Error(`${name}: ${payload.result.error.code} ${payload.result.error.message}`);
  return payload.result;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(t('demo.timedOut', { what }));
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const args = cliArgs();
  const dataDir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-demo-'));
  console.log(t('demo.title'));
  const verbose = args.includes('--verbose');
  const functionLogs: string[] = [];
  const log = (line: string): void => {
    functionLogs.push(line);
    if (verbose) console.log(`    ${line}`);
  };
  let stack: LocalStack | undefined;
  try {
    stack = await step(t('demo.step.start'), () => startLocalStack({ dataDir, cloudbasePort: 0, simulatorPort: 0, log }),
      (s) => t('demo.step.startDone', { cloudbase: s.cloudbaseUrl, simulator: s.simulatorUrl }));
    const s = stack;
    await step('login', () => callFunction(s, 'login', {}), (r) => t('demo.step.loginDone', { openid: r.openid }));
    const { products } = await step('listProducts', () => callFunction(s, 'listProducts', {}),
      (r) => r.products.map((p: any) => `${p.name} ${yuan(p.price)}`).join(', '));
    const items = [{ productId: products[0]._id, quantity: 2 }, { productId: products[1]._id, quantity: 1 }];
    const order = await step('createOrder', () => callFunction(s, 'createOrder', { items, clientOrderKey: `demo-${Date.now()}` }),
      (r) => t('demo.step.createOrderDone', { outTradeNo: r.outTradeNo, amount: yuan(r.amount.total), package: r.payment.package }));
    await step(t('demo.step.pay'), async () => {
      const res = await fetch(`${s.simulatorUrl}/__sim/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...order.payment, result: 'SUCCESS' }),
      });
      const body = (await res.json()) as any;
      if (res.status !== 200) throw new Error(t('demo.step.payRefused', { body: JSON.stringify(body) }));
      return body;
    }, (r) => t('demo.step.payDone', { errMsg: r.errMsg, transactionId: r.transaction_id }));
    await step(t('demo.step.notify'), () => until(t('demo.step.notifyWait'), async () => {
      const res = await fetch(`${s.simulatorUrl}/__sim/notifications?out_trade_no=${order.outTradeNo}`);
      const { notifications } = (await res.json()) as any;
      return notifications.find((n: any) => n.state === 'delivered');
    }), (d) => t('demo.step.notifyDone', { eventType: d.event_type, statuses: d.attempts.at(-1)?.statuses.join(',') }));
    const confirmed = await step(t('demo.step.query'), () => callFunction(s, 'queryOrder', { outTradeNo: order.outTradeNo }),
      (r) => t('demo.step.queryDone', { status: r.status, paidAt: r.paidAt }));
    if (confirmed.status !== 'SUCCESS' || confirmed.amount.total !== order.amount.total) {
      throw new Error(t('demo.expectedSuccess', { amount: yuan(order.amount.total), status: confirmed.status }));
    }
    console.log(t('demo.paid', { amount: yuan(confirmed.amount.total), outTradeNo: confirmed.outTradeNo }));
    // After the payment (发货信息管理): the money stays frozen until shipped and received.
    await step(t('demo.step.ship'), () => callFunction(s, 'shipOrder', { outTradeNo: order.outTradeNo, parcels: [{ trackingNo: 'YT0000000001', expressCompany: 'YTO' }] }, s.staffOpenid),
      (r) => t('demo.step.shipDone', { status: r.fulfilment.status, kind: r.fulfilment.kind, itemDesc: r.fulfilment.parcels[0].itemDesc }));
    await step(t('demo.step.confirm'), async () => {
      const res = await fetch(`${s.cloudbaseUrl}/__emulator/platform/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outTradeNo: order.outTradeNo }) });
      if (res.status !== 200) throw new Error(t('demo.step.confirmRefused', { body: await res.text() }));
      return (await res.json()) as any;
    }, (r) => t('demo.step.confirmDone', { state: r.confirmed[0].state }));
    const settled = await step(t('demo.step.settle'), () => until(t('demo.step.settleWait'), async () => {
      const view = await callFunction(s, 'queryOrder', { outTradeNo: order.outTradeNo });
      return view.fulfilment?.status === 'SETTLED' ? view : undefined;
    }), (r) => t('demo.step.settleDone', { fulfilment: r.fulfilment.status, status: r.status }));
    console.log(t('demo.settled', { status: settled.fulfilment.status }));
    // The finance side: WeChat Pay's bill of the day, ready after 10:00 China time the next day.
    const simClock = async (): Promise<number> => ((await (await fetch(`${s.simulatorUrl}/__sim/clock`)).json()) as { now: number }).now;
    const billDate = chinaDateOf(await simClock());
    await step(t('demo.step.nextDay'), async () => {
      const advanceSeconds = (dayWindow(billDate).end + 10 * 3600_000 + 60_000 - (await simClock())) / 1000;
      await fetch(`${s.simulatorUrl}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds }) });
      return advanceSeconds;
    }, (sec) => t('demo.step.nextDayDone', { hours: (sec / 3600).toFixed(1) }));
    const { day } = await step(t('demo.step.reconcile', { billDate }), () => callFunction(s, 'reconcileBill', { action: 'run', billDate }, s.staffOpenid),
      (r) => t('demo.step.reconcileDone', { status: r.day.status, payments: r.day.rows?.payments ?? 0 }));
    console.log(`\n${formatBillDay(day)}`);
    if (day.status !== 'MATCHED') throw new Error(t('demo.expectedMatched', { status: day.status }));
    console.log(t(verbose ? 'demo.logLines' : 'demo.logLinesHint', { count: functionLogs.length }));
  } finally {
    await stack?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(t('demo.failed', { message: (err as Error).message }));
    process.exit(1);
  },
);
