/**
 * `npm run doctor` with `ssm:` references, as a child process: without credentials the references
 * are reported as resolved at runtime (a warning; the rest is still checked); with credentials the
 * doctor fetches them from the local SSM double and checks the values like any other.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { collectEnvironment, maskValue } from '../../scripts/deploy/config';
import { startSsmDouble, type SsmDouble } from '../config/ssmDouble';

const ROOT = resolve(__dirname, '../..');
// tsx's loader in one node process (the tsx CLI would start a second node to run the script).
const TSX = require.resolve('tsx/cjs');
const APIV3 = 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4';
const SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const ROLE = { id: 'AKIDdeployer01', key: 'deployer-secret-key', token: 'deployer-token' };

function run(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--require', TSX, join(ROOT, 'scripts/doctor.ts'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LANG: 'en_US.UTF-8', ...env } }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

let dir: string;
let certPath: string;
let keyPem: string;
let ssm: SsmDouble;
let refs: Record<string, string>;
let creds: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'doctor-ssm-'));
  const keyPath = join(dir, 'key.pem');
  certPath = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '365', '-subj', '/CN=1900000001', '-set_serial', `0x${SERIAL}`], { stdio: 'ignore' });
  keyPem = readFileSync(keyPath, 'utf8');
  ssm = await startSsmDouble({ [ROLE.id]: { secretKey: ROLE.key, token: ROLE.token } });
  ssm.putSecret('wxpay-private-key', 'v1', keyPem);
  ssm.putSecret('wxpay-apiv3', 'v1', APIV3);
  ssm.putSecret('wxpay-apiv3-short', 'v1', APIV3.slice(1));
  refs = {
    WX_APPID: 'wx1234567890abcdef',
    WXPAY_MCHID: '1900000001',
    WXPAY_MERCHANT_SERIAL_NO: SERIAL,
    WXPAY_PRIVATE_KEY: 'ssm:wxpay-private-key',
    WXPAY_APIV3_KEY: 'ssm:wxpay-apiv3@v1',
    WXPAY_NOTIFY_URL: 'https://pay.example.com/pay/notify',
    REFUND_ADMIN_OPENIDS: 'oSTAFF00000000000000000001',
  };
  creds = { TENCENTCLOUD_SECRETID: ROLE.id, TENCENTCLOUD_SECRETKEY: ROLE.key, TENCENTCLOUD_SESSIONTOKEN: ROLE.token, TENCENTCLOUD_REGION: 'ap-guangzhou', TENCENTCLOUD_SSM_ENDPOINT: ssm.url };
});
afterAll(() => ssm?.close());

test('without credentials: references are reported as resolved at runtime (warnings), the rest is checked, nothing fetched', async () => {
  const r = await run([], refs);
  expect(r.out).toContain('WARN  WXPAY_PRIVATE_KEY: ssm:wxpay-private-key: resolved by the functions at runtime, not checked here');
  expect(r.out).toContain('WARN  WXPAY_APIV3_KEY: ssm:wxpay-apiv3@v1: resolved by the functions at runtime');
  expect(r.out).toContain('ok    SSM references: WXPAY_PRIVATE_KEY, WXPAY_APIV3_KEY come from Tencent Cloud Secrets Manager');
  expect(r.out).toContain('ok    WXPAY_NOTIFY_URL');
  expect(r.out).toContain('0 error(s)');
  expect(r.code).toBe(0);
  expect(ssm.calls).toHaveLength(0);
  expect((await run(['--strict'], refs)).code).toBe(1);
  // Chinese by default (LANG=C): the same marks, variables and references
  const zh = await run([], { ...refs, LANG: 'C' });
  expect(zh.out).toContain('WARN  WXPAY_PRIVATE_KEY: ssm:wxpay-private-key：由云函数在运行时解析，这里不检查');
  expect(zh.out).toContain('ok    SSM 引用: WXPAY_PRIVATE_KEY, WXPAY_APIV3_KEY 来自腾讯云凭据管理系统');
  expect(zh.out).toContain('0 个错误');
});

test('with credentials: fetched from SSM (signed, with the token) and checked against the merchant certificate; no value printed', async () => {
  const r = await run(['--merchant-cert', certPath], { ...refs, ...creds });
  expect(r.out).toContain('ok    WXPAY_PRIVATE_KEY: ssm:wxpay-private-key: fetched SSM secret "wxpay-private-key" from SSM');
  expect(r.out).toContain('ok    WXPAY_PRIVATE_KEY: RSA 2048-bit private key parses');
  expect(r.out).toContain('ok    merchant certificate: private key matches the certificate');
  expect(r.out).toContain('ok    WXPAY_APIV3_KEY: 32 bytes');
  expect(r.code).toBe(0);
  expect(r.out).not.toContain(APIV3);
  expect(r.out).not.toContain(keyPem.split('\n')[1]);
  expect(r.out).not.toContain(ROLE.key);
  expect(ssm.calls.map((c) => `${c.secretName}@${c.versionId}:${c.token}`).sort()).toEqual([`wxpay-apiv3@v1:${ROLE.token}`, `wxpay-private-key@SSM_Current:${ROLE.token}`]);
});

test('with credentials: a bad value in SSM and a missing secret are errors naming the variable and the secret', async () => {
  const r = await run([], { ...refs, ...creds, WXPAY_APIV3_KEY: 'ssm:wxpay-apiv3-short', WXPAY_PRIVATE_KEY: 'ssm:not-there' });
  expect(r.code).toBe(1);
  expect(r.out).toContain('ERROR WXPAY_APIV3_KEY: is 31 bytes; it must be exactly 32');
  expect(r.out).toMatch(/ERROR WXPAY_PRIVATE_KEY: references SSM secret "not-there", which could not be read: it does not exist.*ResourceNotFound/);
  expect(r.out).not.toContain(APIV3.slice(1));
});

test('deploy:scf carries ssm: references untouched (never read as a key file) and shows them in the plan: they name secrets, they are not secrets', () => {
  const env = collectEnvironment({ environment: { WXPAY_PRIVATE_KEY: 'ssm:apiclient_key.pem', WXPAY_APIV3_KEY: 'ssm:wxpay@v2#apiv3' } }, dir, {});
  expect(env).toMatchObject({ WXPAY_PRIVATE_KEY: 'ssm:apiclient_key.pem', WXPAY_APIV3_KEY: 'ssm:wxpay@v2#apiv3' });
  expect(maskValue('WXPAY_APIV3_KEY', 'ssm:wxpay@v2#apiv3')).toBe('ssm:wxpay@v2#apiv3');
  expect(maskValue('WXPAY_APIV3_KEY', APIV3)).toBe('<secret, 32 chars>');
});
