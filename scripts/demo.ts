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

const DEMO_OPENID = 'oDEMOUSER000000000000000001';

function yuan(fen: number): string {
  return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

async function step<T>(title: string, run: () => Promise<T>, describe: (value: T) => string): Promise<T> {
  const started = Date.now();
  try {
    const value = await run();
    console.log(`  ✓ ${title.padEnd(42)} ${String(Date.now() - started).padStart(5)} ms  ${describe(value)}`);
    return value;
  } catch (err) {
    console.log(`  ✗ ${title.padEnd(42)} ${String(Date.now() - started).padStart(5)} ms  ${(err as Error).message}`);
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
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-demo-'));
  console.log('wxcloud-pay demo: the payment loop on the local stack (no network, no account)\n');
  const verbose = process.argv.includes('--verbose');
  const functionLogs: string[] = [];
  const log = (line: string): void => {
    functionLogs.push(line);
    if (verbose) console.log(`    ${line}`);
  };
  let stack: LocalStack | undefined;
  try {
    stack = await step('build functions + start the stack', () => startLocalStack({ dataDir, cloudbasePort: 0, simulatorPort: 0, log }),
      (s) => `CloudBase emulator ${s.cloudbaseUrl}, WeChat Pay simulator ${s.simulatorUrl}`);
    const s = stack;
    await step('login', () => callFunction(s, 'login', {}), (r) => `openid ${r.openid} (from the platform context)`);
    const { products } = await step('listProducts', () => callFunction(s, 'listProducts', {}),
      (r) => r.products.map((p: any) => `${p.name} ${yuan(p.price)}`).join(', '));
    const items = [{ productId: products[0]._id, quantity: 2 }, { productId: products[1]._id, quantity: 1 }];
    const order = await step('createOrder', () => callFunction(s, 'createOrder', { items, clientOrderKey: `demo-${Date.now()}` }),
      (r) => `${r.outTradeNo}, ${yuan(r.amount.total)} (priced on the server), ${r.payment.package}`);
    await step('pay (wx.requestPayment in the simulator)', async () => {
      const res = await fetch(`${s.simulatorUrl}/__sim/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...order.payment, result: 'SUCCESS' }),
      });
      const body = (await res.json()) as any;
      if (res.status !== 200) throw new Error(`payment refused: ${JSON.stringify(body)}`);
      return body;
    }, (r) => `${r.errMsg}, paySign verified, transaction ${r.transaction_id}`);
    await step('notification → payNotify', () => until('the notification to be acknowledged', async () => {
      const res = await fetch(`${s.simulatorUrl}/__sim/notifications?out_trade_no=${order.outTradeNo}`);
      const { notifications } = (await res.json()) as any;
      return notifications.find((n: any) => n.state === 'delivered');
    }), (d) => `${d.event_type}, signed + AES-256-GCM, answered HTTP ${d.attempts.at(-1)?.statuses.join(',')}`);
    const confirmed = await step('queryOrder (the client confirms)', () => callFunction(s, 'queryOrder', { outTradeNo: order.outTradeNo }),
      (r) => `status ${r.status}, paid at ${r.paidAt}`);
    if (confirmed.status !== 'SUCCESS' || confirmed.amount.total !== order.amount.total) {
      throw new Error(`expected SUCCESS for ${yuan(order.amount.total)}, got ${confirmed.status}`);
    }
    console.log(`\nPaid ${yuan(confirmed.amount.total)} for order ${confirmed.outTradeNo}: believed only after a verified notification.\n`);
    // After the payment (发货信息管理): the money stays frozen until shipped and received.
    await step('shipOrder (staff record the parcel)', () => callFunction(s, 'shipOrder', { outTradeNo: order.outTradeNo, parcels: [{ trackingNo: 'YT0000000001', expressCompany: 'YTO' }] }, s.staffOpenid),
      (r) => `${r.fulfilment.status} via uploadShippingInfo (cloud call), ${r.fulfilment.kind}, "${r.fulfilment.parcels[0].itemDesc}"`);
    await step('customer confirms receipt (platform)', async () => {
      const res = await fetch(`${s.cloudbaseUrl}/__emulator/platform/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outTradeNo: order.outTradeNo }) });
      if (res.status !== 200) throw new Error(`confirm refused: ${await res.text()}`);
      return (await res.json()) as any;
    }, (r) => `platform order_state ${r.confirmed[0].state} (交易完成), settlement push sent`);
    const settled = await step('settlement push → tradeEvents → getOrder', () => until('the order to be SETTLED', async () => {
      const view = await callFunction(s, 'queryOrder', { outTradeNo: order.outTradeNo });
      return view.fulfilment?.status === 'SETTLED' ? view : undefined;
    }), (r) => `fulfilment ${r.fulfilment.status}, payment status still ${r.status}`);
    console.log(`\nShipped, received and ${settled.fulfilment.status.toLowerCase()} through the mini-program platform: the merchant's money is no longer frozen.\n`);
    // The finance side: WeChat Pay's bill of the day, ready after 10:00 China time the next day.
    const simClock = async (): Promise<number> => ((await (await fetch(`${s.simulatorUrl}/__sim/clock`)).json()) as { now: number }).now;
    const billDate = chinaDateOf(await simClock());
    await step('next day 10:00 China time (simulator clock)', async () => {
      const advanceSeconds = (dayWindow(billDate).end + 10 * 3600_000 + 60_000 - (await simClock())) / 1000;
      await fetch(`${s.simulatorUrl}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds }) });
      return advanceSeconds;
    }, (sec) => `clock moved ${(sec / 3600).toFixed(1)} h`);
    const { day } = await step(`reconcileBill ${billDate} (staff)`, () => callFunction(s, 'reconcileBill', { action: 'run', billDate }, s.staffOpenid),
      (r) => `${r.day.status}: bill downloaded, SHA-1 verified, ${r.day.rows?.payments ?? 0} payment row(s) matched against the database`);
    console.log(`\n${formatBillDay(day)}`);
    if (day.status !== 'MATCHED') throw new Error(`expected the day's bill to match, got ${day.status}`);
    console.log(`(${functionLogs.length} function log lines${verbose ? '' : '; run with -- --verbose to see them'})`);
  } finally {
    await stack?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`\ndemo failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
