/**
 * `npm start` as a developer runs it (a real process): progress while it builds and starts, a seed
 * file instead of the built-in catalogue (a bad one refused with its line and field, nothing loaded),
 * a port in use named with its variable, the terminal CLI driving the running stack one line per
 * command, and --export on exit / --import on start carrying the whole state to another data dir.
 * Chinese by default (LANG unset or C), English with LANG=en_US.UTF-8 or --lang en: the first start
 * and its CLI calls are checked in Chinese, the second (import) in English.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

jest.setTimeout(240_000);
const ROOT = path.resolve(__dirname, '..', '..');
const TSX = require.resolve('tsx/cjs');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wxcloud-pay-start-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// The host's locale must not decide the language a test expects.
const { LC_ALL: _all, LC_MESSAGES: _messages, LANG: _lang, ...hostEnv } = process.env;
const ZH = 'C.UTF-8';
const EN = 'en_US.UTF-8';

const baseEnv = (dataDir: string, lang = ZH): NodeJS.ProcessEnv => ({
  ...hostEnv, LANG: lang, LOCAL_DATA_DIR: dataDir, CLOUDBASE_EMULATOR_PORT: '0', WECHAT_SIMULATOR_PORT: '0', CONSOLE_PORT: '0',
  MP_OUT_DIR: path.join(root, 'mp'), WECHAT_SIMULATOR_TIME_SCALE: '1000',
});

interface Started {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  cloudbasePort: string;
  simulatorPort: string;
  lang: string;
}

function npmStart(args: string[], env: NodeJS.ProcessEnv): Promise<Started | { code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--require', TSX, path.join(ROOT, 'scripts/start.ts'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c) => (err += c));
  return new Promise((resolve) => {
    child.stdout!.on('data', (c) => {
      out += c;
      const cb = /(?:CloudBase emulator|CloudBase 模拟器) +http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      const sim = /(?:WeChat Pay simulator|微信支付模拟器) +http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (/Ctrl-C/.test(out) && cb && sim) resolve({ child, out: () => out, err: () => err, cloudbasePort: cb[1], simulatorPort: sim[1], lang: env.LANG ?? '' });
    });
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

function stop(s: Started): Promise<number | null> {
  return new Promise((resolve) => {
    s.child.once('exit', (code) => resolve(code));
    s.child.kill('SIGINT');
  });
}

function local(s: Started, ...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--require', TSX, path.join(ROOT, 'scripts/local/cli.ts'), ...args], {
    cwd: ROOT, env: { ...hostEnv, LANG: s.lang, CLOUDBASE_EMULATOR_PORT: s.cloudbasePort, WECHAT_SIMULATOR_PORT: s.simulatorPort }, encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

const SEED = `{
  "products": [
    { "_id": "dumplings", "name": "Pork dumplings", "price": 1500, "active": true },
    { "_id": "soup", "name": "Hot and sour soup", "price": 900 }
  ],
  "users": [{ "_id": "o-seeded" }]
}
`;

test('a bad seed file is refused with its line and field, and nothing starts or loads', async () => {
  const dataDir = path.join(root, 'bad-seed');
  const bad = path.join(root, 'bad.json');
  fs.writeFileSync(bad, SEED.replace('"price": 900', '"price": 9.5'));
  const r = (await npmStart(['--seed', bad], baseEnv(dataDir))) as { code: number; err: string };
  expect(r.code).toBe(1);
  expect(r.err).toContain(`npm start 失败：${bad}，第 4 行：products[1].price 必须是整数（单位：分），至少为 1`);
  expect(fs.existsSync(path.join(dataDir, 'cloudbase'))).toBe(false);
  fs.writeFileSync(bad, SEED.replace('"users": [', '"users": [,'));
  const syntax = (await npmStart(['--seed', bad], baseEnv(dataDir))) as { code: number; err: string };
  expect(syntax.code).toBe(1);
  expect(syntax.err).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: line 6, column \\d+: unexpected ","`));
});

test('a port in use names the service and the variable to change (in Chinese by default)', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as AddressInfo).port;
  try {
    const r = (await npmStart(['--no-reload'], { ...baseEnv(path.join(root, 'busy')), WECHAT_SIMULATOR_PORT: String(port) })) as { code: number; err: string };
    expect(r.code).toBe(1);
    expect(r.err).toContain(`npm start 失败：微信支付模拟器：127.0.0.1 的端口 ${port} 已被占用`);
    expect(r.err).toContain('把 WECHAT_SIMULATOR_PORT 设为空闲端口');
  } finally {
    blocker.close();
  }
});

test('npm start shows progress, seeds from the file, answers the CLI, exports on exit and imports on start (zh, then en)', async () => {
  const dataDir = path.join(root, 'data');
  const seedFile = path.join(root, 'seed.json');
  const exportDir = path.join(root, 'scenario');
  fs.writeFileSync(seedFile, SEED);
  const s = (await npmStart(['--seed', seedFile, '--export', exportDir], baseEnv(dataDir))) as Started;
  expect(s.child).toBeDefined();
  const steps = ['正在构建云函数（esbuild）…', '正在启动微信支付模拟器', '正在启动 CloudBase 模拟器',
    `已从 ${seedFile} 写入初始数据：新增 2 个商品、1 个用户`, '正在启动 Web 控制台', '正在构建小程序', 'wxcloud-pay 本地环境已启动', '按 Ctrl-C 停止（停止时状态会导出到'];
  const at = steps.map((step) => s.out().indexOf(step));
  expect(at.every((i) => i >= 0)).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
  try {
    const cb = `http://127.0.0.1:${s.cloudbasePort}`;
    const products = await (await fetch(`${cb}/functions/listProducts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: 'o-cli', data: {} }) })).json() as any;
    expect(JSON.stringify(products.result)).toContain('Pork dumplings');
    expect(JSON.stringify(products.result)).not.toContain('手冲咖啡'); // not the built-in demo catalogue
    const created = await (await fetch(`${cb}/functions/createOrder`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: 'o-cli', data: { items: [{ productId: 'dumplings', quantity: 2 }] } }) })).json() as any;
    const no = created.result.outTradeNo as string;

    const pay = local(s, 'pay', no);
    expect(pay).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`^${no}：requestPayment:ok，微信支付 trade_state SUCCESS（交易单号 \\d+）$`)) });
    const missing = local(s, 'pay', 'NO_SUCH_ORDER');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('微信支付中没有订单 NO_SUCH_ORDER');
    expect(local(s, '--lang', 'en', 'pay', 'NO_SUCH_ORDER').err).toContain('WeChat Pay has no order NO_SUCH_ORDER');
    await waitFor(() => local(s, 'orders', '--status', 'SUCCESS').out.includes(no));
    const refund = local(s, 'refund', no, '1.50');
    expect(refund).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`^${no}：退款 \\S+，金额 ¥1\\.50，状态 (PROCESSING|SUCCESS)$`)) });
    expect(local(s, 'refund', no, '1.234')).toMatchObject({ code: 1, err: expect.stringContaining('refund ' + no + '：“1.234”不是以元为单位的金额') });
    expect(local(s, '--lang', 'en', 'refund', no, '0.00')).toMatchObject({ code: 1, err: expect.stringContaining('the amount must be at least ¥0.01') });
    expect(local(s, 'faults', '{"dropNotifications":1}')).toMatchObject({ code: 0, out: '微信支付模拟器的故障现在为 {"dropNotifications":1}' });
    expect(local(s, '--lang=en', 'faults', 'clear').out).toBe('WeChat Pay simulator faults now {}');
    expect(local(s, 'faults', 'nonsense').code).toBe(1);
    const notes = (await (await fetch(`http://127.0.0.1:${s.simulatorPort}/__sim/notifications`)).json() as any).notifications;
    const resend = local(s, 'resend', notes[0].id);
    expect(resend).toMatchObject({ code: 0, out: expect.stringContaining(`通知 ${notes[0].id}：已为 ${no}（TRANSACTION.SUCCESS）重发`) });
    expect(local(s, 'timer')).toMatchObject({ code: 0, out: expect.stringMatching(/^定时器 queryOrder 已触发：/) });
    expect(local(s, 'timer', 'nope').code).toBe(1);
    const logs = local(s, 'logs');
    expect(logs.code).toBe(0);
    expect(local(s, 'bogus')).toMatchObject({ code: 1, err: expect.stringContaining('未知命令 "bogus"') });
  } finally {
    expect(await stop(s)).toBe(0);
  }
  expect(s.out()).toContain(`已将本地状态`);
  const manifest = JSON.parse(fs.readFileSync(path.join(exportDir, 'manifest.json'), 'utf8'));
  expect(manifest.files.map((f: any) => f.path)).toEqual(expect.arrayContaining(['credentials.json', 'wechat/state.log']));

  // Somewhere else entirely: the scenario comes back, both emulators.
  const other = path.join(root, 'other');
  const again = (await npmStart(['--import', exportDir, '--no-reload'], baseEnv(other, EN))) as Started;
  expect(again.child).toBeDefined();
  try {
    expect(again.out()).toContain(`Imported ${manifest.files.length} files from ${exportDir}`);
    expect(again.out()).toContain('wxcloud-pay local stack is up');
    expect(again.out()).toContain('Code changes         not watched (--no-reload)');
    const orders = local(again, 'orders');
    expect(orders.out).toMatch(/SUCCESS|REFUND/);
    const ledger = (await (await fetch(`http://127.0.0.1:${again.simulatorPort}/__sim/transactions`)).json() as any).transactions;
    expect(ledger).toHaveLength(1);
    expect(ledger[0].refunds).toHaveLength(1);
    expect(local(again, 'reset')).toMatchObject({ code: 0, out: expect.stringMatching(/^reset: WeChat Pay simulator emptied, faults cleared, deleted 1 orders/) });
    expect(local(again, 'orders').out).toBe('no orders');
  } finally {
    await stop(again);
  }
});

async function waitFor(probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}
