/** Runs `scripts/deploy-scf.ts` as a child process (via tsx) against the local SCF double. */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeFunctionsDir } from './fixtures';
import { startScfDouble, type ScfDouble } from './scfDouble';

const ROOT = resolve(__dirname, '../..');
// tsx's loader in one node process (the tsx CLI would start a second node to run the script).
const TSX = require.resolve('tsx/cjs');
const APIV3 = 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6';
/** A function environment the doctor accepts for SCF with function URLs (session identity, TCB_ENV). */
const DOCTOR_APPROVED_ENV = {
  WX_APPID: 'wx1234567890abcdef',
  WXPAY_MCHID: '1900000001',
  WXPAY_MERCHANT_SERIAL_NO: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
  WXPAY_PRIVATE_KEY: './apiclient_key.pem',
  WXPAY_NOTIFY_URL: 'https://pay.example.com/pay/notify',
  TCB_ENV: 'prod-test1a',
  IDENTITY_MODE: 'session',
  SESSION_TOKEN_SECRET: 'session-secret-for-tests-0123456789abcdef',
  WX_APP_SECRET: 'app-secret-for-tests',
};

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    // Async on purpose: the double answers from this process's event loop.
    execFile(process.execPath, ['--require', TSX, join(ROOT, 'scripts/deploy-scf.ts'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LANG: 'en_US.UTF-8', ...env } }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('deploy-scf CLI', () => {
  let double: ScfDouble;
  let work: string;
  let pem: string;
  let configFile: string;
  let baseEnv: Record<string, string>;

  beforeEach(async () => {
    double = await startScfDouble({ transitionPolls: 1 });
    work = mkdtempSync(join(tmpdir(), 'deploy-cli-'));
    pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(join(work, 'apiclient_key.pem'), pem);
    configFile = join(work, 'deploy.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        region: 'ap-shanghai',
        functions: { payNotify: { timeout: 10, memorySize: 128 } },
        environment: DOCTOR_APPROVED_ENV,
      }),
    );
    baseEnv = {
      TENCENTCLOUD_SECRETID: 'AKIDtest',
      TENCENTCLOUD_SECRETKEY: 'test-secret-key',
      TENCENTCLOUD_SCF_ENDPOINT: double.url,
      WXPAY_APIV3_KEY: APIV3,
    };
  });
  afterEach(() => double.close());

  test('--dry-run prints the plan with secrets masked and makes zero API calls', async () => {
    const r = await run(['--dry-run', '--config', configFile, '--functions-dir', makeFunctionsDir()], baseEnv);
    expect(r.code).toBe(0);
    expect(double.calls).toHaveLength(0);
    expect(r.stdout).toContain('Deploy plan: region ap-shanghai, namespace default, 4 function(s)');
    expect(r.stdout).toContain('payNotify: create or update (Nodejs16.13, handler index.main, timeout 10s, memory 128 MB)');
    expect(r.stdout).toContain('timer trigger reconcile: "0 */5 * * * * *"');
    expect(r.stdout).toContain('WX_APPID=wx1234567890abcdef');
    expect(r.stdout).toContain('WXPAY_APIV3_KEY=<secret, 32 chars>');
    expect(r.stdout).toMatch(/WXPAY_PRIVATE_KEY=<secret, \d+ chars>/);
    expect(r.stdout + r.stderr).not.toContain(APIV3);
    expect(r.stdout + r.stderr).not.toContain('PRIVATE KEY');
    expect(r.stdout).toContain('--dry-run: nothing was called.');
  });

  test('--dry-run in Chinese by default (LANG=C): the plan\'s words in Chinese, names, runtimes and masks unchanged', async () => {
    const r = await run(['--dry-run', '--config', configFile, '--functions-dir', makeFunctionsDir()], { ...baseEnv, LANG: 'C' });
    expect(r.code).toBe(0);
    expect(double.calls).toHaveLength(0);
    expect(r.stdout).toContain('部署计划：地域 ap-shanghai，命名空间 default，4 个函数');
    expect(r.stdout).toContain('payNotify：创建或更新（Nodejs16.13，入口 index.main，超时 10s，内存 128 MB）');
    expect(r.stdout).toContain('定时触发器 reconcile："0 */5 * * * * *"');
    expect(r.stdout).toContain('WXPAY_APIV3_KEY=<secret, 32 chars>');
    expect(r.stdout).toContain('--dry-run：没有调用任何接口。');
    expect(r.stdout + r.stderr).not.toContain(APIV3);
  });

  test('a real run in Chinese by default (LANG=C): progress, the done line and the action to take, names and statuses unchanged', async () => {
    const r = await run(['--config', configFile, '--functions-dir', makeFunctionsDir(), '--poll-ms', '1'], { ...baseEnv, LANG: 'C' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('正在部署…');
    expect(r.stdout).toContain('  createOrder：正在创建');
    expect(r.stdout).toMatch(/createOrder: Creating…/); // SCF's own status word
    expect(r.stdout).toContain('完成：createOrder created, login created, payNotify created, queryOrder created');
    expect(r.stdout).toContain('函数 URL：');
    expect(r.stdout).toMatch(/ACTION: 在部署配置中设置 WXPAY_NOTIFY_URL=\S+\/pay\/notify 后重新运行/);
    expect(r.stdout).not.toContain(APIV3);
  });

  test('a real run deploys, reads the key file into the environment, prints and writes the URLs, never prints a secret', async () => {
    const urlsOut = join(work, 'urls.json');
    const r = await run(['--config', configFile, '--functions-dir', makeFunctionsDir(), '--poll-ms', '1', '--urls-out', urlsOut], baseEnv);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Done: createOrder created, login created, payNotify created, queryOrder created');
    expect(r.stdout).toMatch(/createOrder: Creating…/);
    const vars = double.functions.get('default/payNotify')!.config.Environment.Variables as Array<{ Key: string; Value: string }>;
    expect(vars.find((v) => v.Key === 'WXPAY_PRIVATE_KEY')!.Value).toBe(pem);
    expect(vars.find((v) => v.Key === 'WXPAY_APIV3_KEY')!.Value).toBe(APIV3);
    const urls = JSON.parse(readFileSync(urlsOut, 'utf8')) as Record<string, string>;
    expect(Object.keys(urls)).toEqual(['createOrder', 'login', 'payNotify', 'queryOrder']);
    expect(r.stdout).toContain(`ACTION: set WXPAY_NOTIFY_URL=${urls.payNotify}/pay/notify`);
    expect(r.stdout).not.toContain(APIV3);
    expect(r.stdout).not.toContain('PRIVATE KEY');
  });

  test('an API error exits 1 and names the step and the API error', async () => {
    double.injectError('CreateFunction', 'LimitExceeded.Function', 'function quota exceeded (injected)', 'login');
    const r = await run(['--config', configFile, '--functions-dir', makeFunctionsDir(), '--poll-ms', '1'], baseEnv);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/deploy:scf failed \[API_ERROR\] at CreateFunction login: LimitExceeded\.Function: function quota exceeded \(injected\) \(RequestId req-\d+\)/);
  });

  test('missing credentials fail before any call', async () => {
    const { TENCENTCLOUD_SECRETKEY: _omit, ...env } = baseEnv;
    const r = await run(['--config', configFile, '--functions-dir', makeFunctionsDir()], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[CREDENTIALS_MISSING]');
    expect(double.calls).toHaveLength(0);
  });

  test('a functions folder without a built index.js is reported with what to run', async () => {
    const dir = makeFunctionsDir();
    writeFileSync(join(dir, 'login', 'index.ts'), 'export {}');
    unlinkSync(join(dir, 'login', 'index.js'));
    const r = await run(['--dry-run', '--config', configFile, '--functions-dir', dir], baseEnv);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\[BUNDLE_MISSING\] at bundle login: .*index\.js not found: run `npm run build` first/);
  });

  test('a configuration the doctor rejects is refused before the plan, even with --dry-run, and nothing is called', async () => {
    writeFileSync(configFile, JSON.stringify({ region: 'ap-shanghai', environment: { ...DOCTOR_APPROVED_ENV, IDENTITY_MODE: 'wxcontext' } }));
    const r = await run(['--dry-run', '--config', configFile, '--functions-dir', makeFunctionsDir()], baseEnv);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ERROR IDENTITY_MODE: function URLs carry no WeChat user');
    expect(r.stdout).not.toContain('Deploy plan');
    expect(r.stderr).toMatch(/deploy:scf failed \[CONFIG_REJECTED\] at doctor: the configuration has 1 error\(s\) \(IDENTITY_MODE\); nothing was deployed/);
    expect(double.calls).toHaveLength(0);
  });

  test('in Chinese by default (LANG=C): the refusal keeps its code, variable and exit status', async () => {
    writeFileSync(configFile, JSON.stringify({ region: 'ap-shanghai', environment: { ...DOCTOR_APPROVED_ENV, IDENTITY_MODE: 'wxcontext' } }));
    const r = await run(['--dry-run', '--config', configFile, '--functions-dir', makeFunctionsDir()], { ...baseEnv, LANG: 'C' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Doctor：1 个错误，');
    expect(r.stdout).toContain('ERROR IDENTITY_MODE: 函数 URL 不带微信用户身份：设置 IDENTITY_MODE=session');
    expect(r.stderr).toMatch(/deploy:scf 失败 \[CONFIG_REJECTED\]，位置 doctor: 配置有 1 个错误（IDENTITY_MODE）；没有部署任何东西/);
    expect(double.calls).toHaveLength(0);
  });

  test('no configuration at all: --dry-run exits 1 naming the missing settings', async () => {
    const r = await run(['--dry-run', '--region', 'ap-shanghai', '--functions-dir', makeFunctionsDir()], baseEnv);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ERROR WX_APPID: missing');
    expect(r.stderr).toContain('[CONFIG_REJECTED]');
    expect(double.calls).toHaveLength(0);
  });
});
