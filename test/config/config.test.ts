import { generateKeyPairSync } from 'crypto';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ConfigError, DEFAULT_WXPAY_BASE_URL, loadConfig } from '../../lib/config';
import { createWechatPayClient } from '../../lib/wechatpay';

const pair = (bits = 2048) =>
  generateKeyPairSync('rsa', { modulusLength: bits, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const merchant = pair();
const wechat = pair();
const dir = mkdtempSync(join(tmpdir(), 'wxpay-config-'));
const keyPath = join(dir, 'apiclient_key.pem');
writeFileSync(keyPath, merchant.privateKey);

const base = {
  WX_APPID: 'wx1234567890abcdef',
  WXPAY_MCHID: '1900000001',
  WXPAY_MERCHANT_SERIAL_NO: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
  WXPAY_PRIVATE_KEY: merchant.privateKey,
  WXPAY_APIV3_KEY: 'abcdefghijklmnopqrstuvwxyz012345',
  WXPAY_NOTIFY_URL: 'https://shop.example.com/pay/notify',
};

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('loadConfig did not throw');
}

describe('loadConfig', () => {
  it('reads a complete certificate-mode config, parsing the key once into a KeyObject', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({ appid: base.WX_APPID, mchid: base.WXPAY_MCHID, serialNo: base.WXPAY_MERCHANT_SERIAL_NO, mode: 'certificate', baseUrl: DEFAULT_WXPAY_BASE_URL, notifyUrl: base.WXPAY_NOTIFY_URL });
    expect(c.privateKey.type).toBe('private');
    expect(c.publicKey).toBeUndefined();
  });

  it('accepts the private key as PEM with literal \\n escapes, as base64 of the PEM, and as a file path', () => {
    const escaped = merchant.privateKey.replace(/\n/g, '\\n');
    const b64 = Buffer.from(merchant.privateKey).toString('base64');
    for (const value of [escaped, b64, keyPath]) {
      const c = loadConfig({ ...base, WXPAY_PRIVATE_KEY: value });
      expect(c.privateKey.export({ type: 'pkcs8', format: 'pem' })).toBe(merchant.privateKey);
    }
  });

  it('switches to public-key mode when WXPAY_PUBLIC_KEY_ID and WXPAY_PUBLIC_KEY are both set', () => {
    const c = loadConfig({ ...base, WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000000012025', WXPAY_PUBLIC_KEY: Buffer.from(wechat.publicKey).toString('base64') });
    expect(c.mode).toBe('publicKey');
    expect(c.publicKeyId).toBe('PUB_KEY_ID_0119000000012025');
    expect(c.publicKey!.export({ type: 'spki', format: 'pem' })).toBe(wechat.publicKey);
  });

  it('allows http only for a loopback simulator and trims a trailing slash', () => {
    expect(loadConfig({ ...base, WXPAY_BASE_URL: 'http://127.0.0.1:8791/' }).baseUrl).toBe('http://127.0.0.1:8791');
    expect(configError({ ...base, WXPAY_BASE_URL: 'http://api.example.com' }).variable).toBe('WXPAY_BASE_URL');
  });

  it.each(Object.keys(base))('names %s when it is missing', (name) => {
    const err = configError({ ...base, [name]: undefined });
    expect(err).toMatchObject({ code: 'CONFIG_INVALID', variable: name, message: `${name} is not set` });
  });

  it.each([
    ['WX_APPID', 'app123'],
    ['WXPAY_MCHID', '19x0'],
    ['WXPAY_MERCHANT_SERIAL_NO', 'not-hex'],
    ['WXPAY_APIV3_KEY', 'a'.repeat(31)],
    ['WXPAY_APIV3_KEY', '中'.repeat(31)],
    ['WXPAY_NOTIFY_URL', 'http://shop.example.com/pay/notify'],
    ['WXPAY_NOTIFY_URL', 'https://shop.example.com/pay/notify?x=1'],
    ['WXPAY_NOTIFY_URL', 'not a url'],
    ['WXPAY_BASE_URL', 'ftp://127.0.0.1'],
  ])('rejects %s=%p naming the variable', (name, value) => {
    expect(configError({ ...base, [name]: value }).variable).toBe(name);
  });

  it('rejects malformed, non-RSA, short, missing-file and public keys without echoing the secret', () => {
    const secret = 'SUPERSECRETVALUE';
    const bad = configError({ ...base, WXPAY_PRIVATE_KEY: `-----BEGIN PRIVATE KEY-----\n${secret}\n-----END PRIVATE KEY-----` });
    expect(bad.variable).toBe('WXPAY_PRIVATE_KEY');
    expect(bad.message).not.toContain(secret);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    expect(configError({ ...base, WXPAY_PRIVATE_KEY: ec.privateKey }).message).toMatch(/RSA/);
    expect(configError({ ...base, WXPAY_PRIVATE_KEY: pair(1024).privateKey }).message).toMatch(/2048/);
    expect(configError({ ...base, WXPAY_PRIVATE_KEY: join(dir, 'missing.pem') }).message).toMatch(/neither PEM/);
    expect(configError({ ...base, WXPAY_PRIVATE_KEY: merchant.publicKey }).variable).toBe('WXPAY_PRIVATE_KEY');
    expect(configError({ ...base, WXPAY_APIV3_KEY: 'x'.repeat(20) }).message).not.toContain('x'.repeat(20));
  });

  it('requires WXPAY_PUBLIC_KEY_ID and WXPAY_PUBLIC_KEY together, and a PUB_KEY_ID_ id', () => {
    expect(configError({ ...base, WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_01' }).variable).toBe('WXPAY_PUBLIC_KEY');
    expect(configError({ ...base, WXPAY_PUBLIC_KEY: wechat.publicKey }).variable).toBe('WXPAY_PUBLIC_KEY_ID');
    expect(configError({ ...base, WXPAY_PUBLIC_KEY_ID: 'KEY1', WXPAY_PUBLIC_KEY: wechat.publicKey }).variable).toBe('WXPAY_PUBLIC_KEY_ID');
    expect(configError({ ...base, WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_01', WXPAY_PUBLIC_KEY: 'garbage' }).variable).toBe('WXPAY_PUBLIC_KEY');
  });

  it('is in migration mode with the public key and WXPAY_PLATFORM_CERTIFICATES=true (both accepted while WeChat Pay switches)', () => {
    const pub = { WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000000012025', WXPAY_PUBLIC_KEY: wechat.publicKey };
    expect(loadConfig({ ...base, ...pub, WXPAY_PLATFORM_CERTIFICATES: 'true' }).mode).toBe('migration');
    expect(loadConfig({ ...base, ...pub, WXPAY_PLATFORM_CERTIFICATES: 'TRUE' }).mode).toBe('migration');
    expect(loadConfig({ ...base, ...pub, WXPAY_PLATFORM_CERTIFICATES: 'false' }).mode).toBe('publicKey');
    expect(loadConfig({ ...base, WXPAY_PLATFORM_CERTIFICATES: 'true' }).mode).toBe('certificate');
    expect(configError({ ...base, WXPAY_PLATFORM_CERTIFICATES: 'false' })).toMatchObject({ variable: 'WXPAY_PLATFORM_CERTIFICATES', message: expect.stringMatching(/nothing could verify/) });
    expect(configError({ ...base, ...pub, WXPAY_PLATFORM_CERTIFICATES: 'yes' }).variable).toBe('WXPAY_PLATFORM_CERTIFICATES');
  });

  it('produces exactly what createWechatPayClient takes', () => {
    const client = createWechatPayClient(loadConfig({ ...base, WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_01', WXPAY_PUBLIC_KEY: wechat.publicKey }));
    expect(client.keyring.serials()).toEqual(['PUB_KEY_ID_01']);
    client.close();
  });
});
