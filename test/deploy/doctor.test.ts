/**
 * `npm run doctor` as a child process on keys and certificates generated per run (openssl for
 * the X.509 certificate, node:crypto for keys), plus the pure checks for clock-dependent cases.
 */
import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runChecks } from '../../scripts/deploy/doctor';
import { setCliLang } from '../../scripts/i18n';

const ROOT = resolve(__dirname, '../..');
// tsx's loader in one node process (the tsx CLI would start a second node to run the script).
const TSX = require.resolve('tsx/cjs');
const APIV3 = 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4';
const SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';

function run(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--require', TSX, join(ROOT, 'scripts/doctor.ts'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LANG: 'en_US.UTF-8', ...env } }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

function makeCert(dir: string, name: string, serial: string): { key: string; cert: string; keyPath: string; certPath: string } {
  const keyPath = join(dir, `${name}_key.pem`);
  const certPath = join(dir, `${name}_cert.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '365', '-subj', '/CN=1900000001', '-set_serial', `0x${serial}`], { stdio: 'ignore' });
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), keyPath, certPath };
}

describe('doctor', () => {
  let dir: string;
  let merchant: ReturnType<typeof makeCert>;
  let other: ReturnType<typeof makeCert>;
  let wechatPub: string;
  let good: Record<string, string>;
  const scfSession = { IDENTITY_MODE: 'session', SESSION_TOKEN_SECRET: 'k'.repeat(48), WX_APP_SECRET: 'a'.repeat(32), TCB_ENV: 'cloud1-abc' };

  beforeAll(() => {
    setCliLang('en'); // runChecks in this process: the English texts the assertions below name
    dir = mkdtempSync(join(tmpdir(), 'doctor-'));
    merchant = makeCert(dir, 'merchant', SERIAL);
    other = makeCert(dir, 'other', 'ABCDEF0123456789');
    wechatPub = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    good = {
      WX_APPID: 'wx1234567890abcdef',
      WXPAY_MCHID: '1900000001',
      WXPAY_MERCHANT_SERIAL_NO: SERIAL,
      WXPAY_PRIVATE_KEY: merchant.keyPath,
      WXPAY_APIV3_KEY: APIV3,
      WXPAY_NOTIFY_URL: 'https://pay.example.com/pay/notify',
      REFUND_ADMIN_OPENIDS: 'oSTAFF00000000000000000001',
    };
  });

  test('a coherent certificate-mode configuration passes and prints no secret', async () => {
    const r = await run(['--merchant-cert', merchant.certPath], good);
    expect(r.code).toBe(0);
    expect(r.out).toContain('merchant certificate: serial number matches WXPAY_MERCHANT_SERIAL_NO');
    expect(r.out).toContain('merchant certificate: private key matches the certificate');
    expect(r.out).toContain('verification mode: platform-certificate mode');
    expect(r.out).toContain('ok    lib/config: the functions accept this configuration (platform-certificate mode)');
    expect(r.out).toContain('0 error(s), 0 warning(s)');
    expect(r.out).not.toContain(APIV3);
    expect(r.out).not.toContain(merchant.key.split('\n')[1]);
  });

  test('public-key mode from a config file, key given as base64 of the PEM, passes', async () => {
    const config = join(dir, 'deploy.json');
    writeFileSync(config, JSON.stringify({ environment: { ...good, WXPAY_PRIVATE_KEY: Buffer.from(merchant.key).toString('base64'), WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000000012024', WXPAY_PUBLIC_KEY: wechatPub, ...scfSession } }));
    const r = await run(['--config', config, '--merchant-cert', merchant.certPath], {});
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok    TCB_ENV: cloud1-abc');
    expect(r.out).toContain('WXPAY_PUBLIC_KEY: public key parses (public-key mode)');
    expect(r.out).toContain('lib/config: the functions accept this configuration (public-key mode)');
  });

  test('migration mode (public key and platform certificates at once) is accepted and explained', async () => {
    const env = { ...good, WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000000012024', WXPAY_PUBLIC_KEY: wechatPub, WXPAY_PLATFORM_CERTIFICATES: 'true' };
    const r = await run(['--merchant-cert', merchant.certPath], env);
    expect(r.code).toBe(0);
    expect(r.out).toContain('WXPAY_PUBLIC_KEY: public key parses (migration mode)');
    expect(r.out).toMatch(/verification mode: migration mode \(public key AND platform certificates\).*signed by either are accepted/);
    expect(r.out).toContain('lib/config: the functions accept this configuration (migration: public key and platform certificates mode)');
    const pubOnly = await run(['--merchant-cert', merchant.certPath], { ...env, WXPAY_PLATFORM_CERTIFICATES: 'false' });
    expect(pubOnly.out).toMatch(/verification mode: public-key mode: every request names WXPAY_PUBLIC_KEY_ID in Wechatpay-Serial/);
    const bad = await run(['--merchant-cert', merchant.certPath], { ...good, WXPAY_PLATFORM_CERTIFICATES: 'false' });
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain('ERROR verification mode: WXPAY_PLATFORM_CERTIFICATES=false without WXPAY_PUBLIC_KEY_ID/WXPAY_PUBLIC_KEY');
  });

  test('an SCF config behind function URLs without session identity is an error; a missing TCB_ENV a warning', async () => {
    const config = join(dir, 'deploy-wxcontext.json');
    writeFileSync(config, JSON.stringify({ environment: { ...good, WXPAY_PRIVATE_KEY: merchant.keyPath } }));
    const r = await run(['--config', config, '--merchant-cert', merchant.certPath], {});
    expect(r.code).toBe(1);
    expect(r.out).toContain('ERROR IDENTITY_MODE: function URLs carry no WeChat user: set IDENTITY_MODE=session');
    expect(r.out).toContain('WARN  TCB_ENV: missing');
    // Without function URLs (e.g. only the timer on SCF) the platform-context mode is not refused.
    const env = { ...good, WXPAY_PRIVATE_KEY: merchant.key };
    const noUrls = runChecks({ env, scf: { functionUrls: false } });
    expect(noUrls.filter((f) => f.subject === 'IDENTITY_MODE' && f.level === 'error')).toEqual([]);
    // WeChat Cloud (no deploy config): neither check applies.
    expect(runChecks({ env }).filter((f) => f.subject === 'TCB_ENV' || (f.subject === 'IDENTITY_MODE' && f.level !== 'ok'))).toEqual([]);
  });

  test('a private key that does not belong to the certificate, and a wrong serial, are errors', async () => {
    const r = await run(['--merchant-cert', merchant.certPath], { ...good, WXPAY_PRIVATE_KEY: other.keyPath, WXPAY_MERCHANT_SERIAL_NO: 'ABCDEF0123456789' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('ERROR WXPAY_PRIVATE_KEY: does not belong to the merchant certificate');
    expect(r.out).toContain(`ERROR WXPAY_MERCHANT_SERIAL_NO: does not match the certificate (its serial is ${SERIAL})`);
  });

  test('a merchant public key instead of a certificate still checks the key pair', async () => {
    const pubPath = join(dir, 'other_pub.pem');
    writeFileSync(pubPath, execFileSync('openssl', ['x509', '-in', other.certPath, '-pubkey', '-noout']));
    const r = await run(['--merchant-cert', pubPath], good);
    expect(r.code).toBe(1);
    expect(r.out).toContain('ERROR WXPAY_PRIVATE_KEY: does not match the merchant public key given');
  });

  test('APIv3 key length, notify URL shape, missing ids and mode incoherence are each reported', async () => {
    const r = await run([], {
      ...good,
      WX_APPID: '',
      WXPAY_MCHID: '',
      WXPAY_APIV3_KEY: APIV3.slice(1),
      WXPAY_NOTIFY_URL: 'https://pay.example.com/notify?orderId=1',
      WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000000012024',
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain('ERROR WX_APPID: missing');
    expect(r.out).toContain('ERROR WXPAY_MCHID: missing');
    expect(r.out).toContain('ERROR WXPAY_APIV3_KEY: is 31 bytes; it must be exactly 32');
    expect(r.out).toContain('ERROR WXPAY_NOTIFY_URL: must not carry a query string');
    expect(r.out).toContain('ERROR verification mode: public-key mode needs both WXPAY_PUBLIC_KEY_ID and WXPAY_PUBLIC_KEY; only WXPAY_PUBLIC_KEY_ID is set');
    expect(r.out).toContain('WARN  merchant certificate: not given');
    expect(r.out).not.toContain(APIV3.slice(1));
  });

  test('in Chinese by default (LANG=C): the same marks, variables and codes, the sentences in Chinese; --lang en switches', async () => {
    const bad = { ...good, WX_APPID: '', WXPAY_APIV3_KEY: APIV3.slice(1), WXPAY_NOTIFY_URL: 'https://pay.example.com/notify?orderId=1', WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000000012024' };
    const zh = await run([], { ...bad, LANG: 'C' });
    expect(zh.code).toBe(1);
    expect(zh.out).toContain('ERROR WX_APPID: 缺少：与商户号绑定的小程序 AppID（以 wx 开头）');
    expect(zh.out).toContain('ERROR WXPAY_APIV3_KEY: 是 31 字节；必须正好 32 字节（AES-256-GCM 密钥）');
    expect(zh.out).toContain('ERROR WXPAY_NOTIFY_URL: 不能带查询参数：微信支付拒绝带参数的 notify_url');
    expect(zh.out).toContain('ERROR 验签模式: 公钥模式需要同时设置 WXPAY_PUBLIC_KEY_ID 和 WXPAY_PUBLIC_KEY；只设置了 WXPAY_PUBLIC_KEY_ID');
    expect(zh.out).toContain('WARN  商户证书: 未提供：加 --merchant-cert apiclient_cert.pem');
    expect(zh.out).toMatch(/\n\d+ 个错误，\d+ 个警告\n部署前请修正上面的错误。/);
    expect(zh.out).not.toMatch(/missing:|error\(s\)/);
    // a setting lib/settings refuses, worded from what it says is wrong (its bounds and unit)
    const setting = await run([], { ...good, ORDER_EXPIRE_MINUTES: 'abc', SESSION_TTL_SECONDS: '5', LANG: 'C' });
    expect(setting.out).toContain('ERROR 订单设置: ORDER_EXPIRE_MINUTES 必须是 1 到 10080 之间的整数。');
    expect((await run([], { ...good, ORDER_EXPIRE_MINUTES: 'abc' })).out).toContain('ERROR order settings: ORDER_EXPIRE_MINUTES must be a whole number from 1 to 10080.');
    const en = await run(['--lang', 'en'], { ...bad, LANG: 'zh_CN.UTF-8' });
    expect(en.out).toContain('ERROR WX_APPID: missing');
    expect(en.out).toContain('Fix the errors above before deploying.');
    // a refused flag keeps its code in both languages
    expect(await run(['--live'], { ...good, LANG: 'C' })).toMatchObject({ code: 1, out: expect.stringContaining('doctor 失败：[CONFIG_INVALID] read flags: --live 检查的是微信云开发环境：请加上 --cloud') });
    expect(await run(['--live'], good)).toMatchObject({ code: 1, out: expect.stringContaining('doctor failed: [CONFIG_INVALID] read flags: --live checks a WeChat Cloud environment: add --cloud') });
  });

  test('an unparseable key and an http notify URL are errors; the merchant key posing as the WeChat Pay key is caught', async () => {
    const merchantPub = execFileSync('openssl', ['x509', '-in', merchant.certPath, '-pubkey', '-noout']).toString();
    const r = await run([], { ...good, WXPAY_NOTIFY_URL: 'http://pay.example.com/notify', WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_1', WXPAY_PUBLIC_KEY: merchantPub });
    expect(r.code).toBe(1);
    expect(r.out).toContain('ERROR WXPAY_NOTIFY_URL: must be https');
    expect(r.out).toContain("ERROR WXPAY_PUBLIC_KEY: is your merchant key's public half");
    const bad = await run([], { ...good, WXPAY_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n' });
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('ERROR WXPAY_PRIVATE_KEY: does not parse as a private key');
    expect(bad.out).not.toContain('not a key');
  });

  test('--strict turns warnings into a failure; a missing key file is a clear error', async () => {
    expect((await run(['--strict'], good)).code).toBe(1);
    expect((await run([], good)).code).toBe(0);
    const r = await run([], { ...good, WXPAY_PRIVATE_KEY: './nope/apiclient_key.pem' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/doctor failed: \[CONFIG_INVALID\] read deploy config: WXPAY_PRIVATE_KEY points to .*nope\/apiclient_key\.pem, which does not exist/);
  });

  test('what lib/config (the functions) would refuse is an error even when the doctor only warns', async () => {
    const r = await run(['--merchant-cert', merchant.certPath], { ...good, WXPAY_BASE_URL: 'http://pay.example.com' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('WARN  WXPAY_BASE_URL: http://pay.example.com is not api.mch.weixin.qq.com');
    expect(r.out).toContain('ERROR WXPAY_BASE_URL: refused by lib/config: WXPAY_BASE_URL must be https');
  });

  test("lib's refusals are worded in the CLI's language from the kind lib gives them, not shown as lib's English text", () => {
    const env = { ...good, WXPAY_PRIVATE_KEY: merchant.key, WXPAY_BASE_URL: 'http://pay.example.com', IDENTITY_MODE: 'bogus' };
    try {
      setCliLang('zh-CN');
      const zh = runChecks({ env });
      expect(zh).toContainEqual(expect.objectContaining({ level: 'error', subject: 'WXPAY_BASE_URL', message: '被 lib/config 拒绝：WXPAY_BASE_URL 必须是 https（只有 127.0.0.1/localhost 允许 http）' }));
      expect(zh).toContainEqual(expect.objectContaining({ level: 'error', subject: 'IDENTITY_MODE', message: 'IDENTITY_MODE 必须是 "wxcontext"（微信云开发）或 "session"（SCF 函数 URL）' }));
      setCliLang('en');
      const en = runChecks({ env });
      expect(en).toContainEqual(expect.objectContaining({ level: 'error', subject: 'WXPAY_BASE_URL', message: 'refused by lib/config: WXPAY_BASE_URL must be https (plain http is allowed only for 127.0.0.1/localhost)' }));
      expect(en).toContainEqual(expect.objectContaining({ level: 'error', subject: 'IDENTITY_MODE', message: 'IDENTITY_MODE must be "wxcontext" (WeChat Cloud) or "session" (SCF function URLs)' }));
    } finally {
      setCliLang('en');
    }
  });

  test('certificate expiry is judged against the given clock', () => {
    const env = { ...good, WXPAY_PRIVATE_KEY: merchant.key };
    const soon = runChecks({ env, merchantCert: merchant.cert, now: new Date(Date.now() + 350 * 86_400_000) });
    expect(soon).toContainEqual(expect.objectContaining({ level: 'warn', subject: 'merchant certificate', message: expect.stringMatching(/^expires on .* \(in 1[0-5] days\)$/) }));
    const later = runChecks({ env, merchantCert: merchant.cert, now: new Date(Date.now() + 400 * 86_400_000) });
    expect(later).toContainEqual(expect.objectContaining({ level: 'error', subject: 'merchant certificate', message: expect.stringMatching(/^expired on /) }));
  });

  test('identity, order and refund settings are checked with the loaders the functions use', () => {
    const env = { ...good, WXPAY_PRIVATE_KEY: merchant.key };
    const errorsOf = (extra: Record<string, string>) =>
      runChecks({ env: { ...env, ...extra } }).filter((f) => f.level === 'error').map((f) => `${f.subject}: ${f.message}`);
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({ IDENTITY_MODE: 'openid-from-body' })).toEqual([expect.stringMatching(/^IDENTITY_MODE: .*wxcontext.*session/)]);
    expect(errorsOf({ IDENTITY_MODE: 'session', SESSION_TOKEN_SECRET: 'short', WX_APP_SECRET: 's'.repeat(32) })).toEqual([expect.stringMatching(/^SESSION_TOKEN_SECRET: /)]);
    expect(errorsOf({ ORDER_EXPIRE_MINUTES: '0' })).toEqual([expect.stringMatching(/^order settings: ORDER_EXPIRE_MINUTES must be a whole number/)]);
    expect(errorsOf({ REFUND_ADMIN_OPENIDS: 'oSTAFF00000000000000000001, not an openid!' })).toEqual([expect.stringMatching(/^refund settings: REFUND_ADMIN_OPENIDS/)]);
    const noStaff = runChecks({ env: { ...env, REFUND_ADMIN_OPENIDS: '' } });
    expect(noStaff).toContainEqual(expect.objectContaining({ level: 'warn', subject: 'REFUND_ADMIN_OPENIDS' }));
  });
});
