/**
 * Run by secrets.test.ts in a child process so that everything it prints is captured: the demo's
 * payment loop on the stack (CloudBase emulator as its own process, function logs on), every raw
 * client answer, then the same in IDENTITY_MODE=session (login with a wx.login code → createOrder
 * with the issued token, through SCF-style function URLs), then a small chaos run with all of its
 * logs and answers.
 *
 * The session segment's code2Session and admin-wire traffic goes through a recorder (recorder.ts),
 * so the session_keys WeChat handed out and the invocation tokens the functions used are known by
 * value; they, the issued session token and the login answers go to <dataDir>/observed.json and
 * <dataDir>/session-answers.txt, never to stdout: the token's proper place is the client's hands,
 * and whether it shows up anywhere else is what the test checks.
 * Usage: node --require tsx/cjs test/hygiene/flow.ts <dataDir>
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { runChaos } from '../../scripts/chaos/run';
import { startLocalStack } from '../../scripts/local/stack';
import { seedRunCredentials } from '../support/run-credentials';
import { EXTRA_SECRETS } from './extra-secrets';
import { startRecorder } from './recorder';

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
  // The jest run's dev merchant (run-credentials.ts; nothing when run by hand): no RSA key generation here.
  seedRunCredentials(dataDir);
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
  await sessionSegment(dataDir);
  mkdirSync(join(dataDir, 'chaos'));
  seedRunCredentials(join(dataDir, 'chaos'));
  // Its own data dir (and so its own credentials): the chaos checker compares the database with a
  // fresh simulator's ledger, which knows nothing of the order paid above.
  // build: false — the first stack above bundled the functions; bundling them again is only CPU.
  const report = await runChaos({ orders: 12, seed: 11, concurrency: 6, kills: 1, build: false, dataDir: join(dataDir, 'chaos'), log: out, onResponse: (raw) => out(`answer: ${raw}`) });
  out(`chaos violations: ${report.violations.length}`);
  for (const v of report.violations) out(`chaos violation: ${v}`);
}

if (require.main === module) {
  main().then(() => process.exit(0), (err) => {
    process.stderr.write(`hygiene flow failed: ${(err as Error).stack}\n`);
    process.exit(1);
  });
}

/** What the session segment learned, for the test (never printed). */
export interface Observed {
  sessionKeys: string[];
  invocationTokens: string[];
  sessionToken: string;
}

async function sessionSegment(dataDir: string): Promise<void> {
  const recorder = await startRecorder();
  const answers: string[] = [];
  const stack = await startLocalStack({
    dataDir, cloudbasePort: 0, simulatorPort: 0, cloudbaseProcess: true, build: false, log: out, functionTimeoutMs: 20_000,
    functionEnv: {
      ...EXTRA_SECRETS,
      IDENTITY_MODE: 'session',
      WX_API_BASE_URL: recorder.url,
      // wx-server-sdk's endpoint: the recorder, which passes every request on to the emulator.
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${recorder.url}/admin` }),
    },
    routes: { '/fn/login': 'login', '/fn/createOrder': 'createOrder', '/fn/queryOrder': 'queryOrder' },
  });
  recorder.setTargets({ wxApi: stack.simulatorUrl, cloudbase: stack.cloudbaseUrl });
  let token = '';
  try {
    const fn = async (name: string, data: unknown, bearer?: string, quiet = false): Promise<any> => {
      const res = await fetch(`${stack.cloudbaseUrl}/fn/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify({ data }),
      });
      const text = await res.text();
      if (quiet) answers.push(`answer ${name}: ${text}`);
      else out(`answer ${name} (session): ${text}`);
      return JSON.parse(text).result;
    };
    const openid = 'oHYGIENESESSION0000000000001';
    const minted = await fetch(`${stack.simulatorUrl}/__sim/login-code`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid, appid: stack.credentials.appid }),
    });
    const { code } = (await minted.json()) as { code: string };
    const login = await fn('login', { code }, undefined, true);
    if (typeof login?.token !== 'string') throw new Error(`session login failed: ${JSON.stringify(login)}`);
    token = login.token;
    out(`session login as ${login.openid}`);
    const order = await fn('createOrder', { items: [{ productId: 'tea', quantity: 1 }], clientOrderKey: 'hygiene-session-1' }, token);
    if (!order?.outTradeNo) throw new Error('session createOrder failed');
    await fn('queryOrder', { outTradeNo: order.outTradeNo }, token);
    // A tampered token is refused; its refusal must not quote it either.
    await fn('queryOrder', { outTradeNo: order.outTradeNo }, `${token.slice(0, -4)}AAAA`);
  } finally {
    await stack.close();
    await recorder.close();
  }
  const observed: Observed = { sessionKeys: recorder.sessionKeys, invocationTokens: [...recorder.invocationTokens], sessionToken: token };
  writeFileSync(join(dataDir, 'observed.json'), JSON.stringify(observed));
  writeFileSync(join(dataDir, 'session-answers.txt'), answers.join('\n'));
}
