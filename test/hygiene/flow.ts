/**
 * Run by secrets.test.ts in a child process so that everything it prints is captured: the demo's
 * payment loop on the stack (CloudBase emulator as its own process, function logs on), every raw
 * client answer, then a small chaos run with all of its logs and answers.
 * Usage: node --require tsx/cjs test/hygiene/flow.ts <dataDir>
 */
import { mkdirSync } from 'fs';
import { join } from 'path';
import { runChaos } from '../../scripts/chaos/run';
import { startLocalStack } from '../../scripts/local/stack';
import { EXTRA_SECRETS } from './extra-secrets';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function call(url: string, name: string, data: unknown, openid: string): Promise<any> {
  const res = await fetch(`${url}/functions/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data, openid }) });
  const text = await res.text();
  out(`answer ${name}: ${text}`);
  return JSON.parse(text).result;
}

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  const stack = await startLocalStack({ dataDir, cloudbasePort: 0, simulatorPort: 0, cloudbaseProcess: true, log: out, functionEnv: EXTRA_SECRETS, functionTimeoutMs: 20_000 });
  try {
    const openid = 'oHYGIENE00000000000000000001';
    await call(stack.cloudbaseUrl, 'login', {}, openid);
    await call(stack.cloudbaseUrl, 'listProducts', {}, openid);
    const order = await call(stack.cloudbaseUrl, 'createOrder', { items: [{ productId: 'coffee', quantity: 2 }], clientOrderKey: 'hygiene-1' }, openid);
    const paid = await fetch(`${stack.simulatorUrl}/__sim/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...order.payment, result: 'SUCCESS' }) });
    out(`answer pay: ${await paid.text()}`);
    for (let i = 0; i < 100; i++) {
      const view = await call(stack.cloudbaseUrl, 'queryOrder', { outTradeNo: order.outTradeNo }, openid);
      if (view.status === 'SUCCESS') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await call(stack.cloudbaseUrl, 'listOrders', {}, openid);
    await call(stack.cloudbaseUrl, 'createOrder', { items: [{ productId: 'nope', quantity: 1 }] }, openid);
    const notifications = await fetch(`${stack.simulatorUrl}/__sim/notifications`);
    out(`answer notifications: ${await notifications.text()}`);
  } finally {
    await stack.close();
  }
  mkdirSync(join(dataDir, 'chaos'));
  // Its own data dir (and so its own credentials): the chaos checker compares the database with a
  // fresh simulator's ledger, which knows nothing of the order paid above.
  const report = await runChaos({ orders: 12, seed: 11, concurrency: 6, kills: 1, dataDir: join(dataDir, 'chaos'), log: out, onResponse: (raw) => out(`answer: ${raw}`) });
  out(`chaos violations: ${report.violations.length}`);
  for (const v of report.violations) out(`chaos violation: ${v}`);
}

if (require.main === module) {
  main().then(() => process.exit(0), (err) => {
    process.stderr.write(`hygiene flow failed: ${(err as Error).stack}\n`);
    process.exit(1);
  });
}
