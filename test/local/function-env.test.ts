/**
 * functionEnvFor: what `npm start` and the tests hand to the functions. Settings named in
 * lib/settings.ts pass through from the stack's own environment; nothing else
 * of that environment does (no PATH, no cloud credentials, no second WeChat Pay endpoint).
 */
import { generateCredentials } from '../../emulator/credentials';
import { FUNCTION_SETTINGS } from '../../lib/settings';
import { functionEnvFor, LOCAL_NOTIFY_ORIGIN, NOTIFY_PATH } from '../../scripts/local/function-env';

const credentials = generateCredentials();
const SIM = 'http://127.0.0.1:18791';

describe('functionEnvFor', () => {
  it('passes function settings such as RECONCILE_MIN_AGE_SECONDS through from the stack env', () => {
    const env = functionEnvFor(credentials, SIM, {}, { RECONCILE_MIN_AGE_SECONDS: '5', ORDER_EXPIRE_MINUTES: '2', RECONCILE_CONCURRENCY: '7' });
    expect(env).toMatchObject({ RECONCILE_MIN_AGE_SECONDS: '5', ORDER_EXPIRE_MINUTES: '2', RECONCILE_CONCURRENCY: '7' });
  });

  it('passes the bill and shipping settings through too', () => {
    const shell = { BILL_TIME_BUDGET_MS: '40000', BILL_LOOKUP_CONCURRENCY: '2', BILL_ADMIN_OPENIDS: 'oSTAFF0001', SHIPPING_CHECK_MIN_AGE_SECONDS: '0', SHIPPING_OUTBOX_MIN_AGE_SECONDS: '5', SHIPPING_ADMIN_OPENIDS: 'oSTAFF0002' };
    expect(functionEnvFor(credentials, SIM, {}, shell)).toMatchObject(shell);
  });

  it('passes every listed setting, and no empty one', () => {
    const shell = Object.fromEntries(FUNCTION_SETTINGS.map((name, i) => [name, String(i + 1)]));
    const env = functionEnvFor(credentials, SIM, {}, { ...shell, RECONCILE_BATCH_SIZE: '' });
    for (const [i, name] of FUNCTION_SETTINGS.entries()) {
      if (name === 'RECONCILE_BATCH_SIZE') expect(env).not.toHaveProperty(name);
      else expect([name, env[name]]).toEqual([name, String(i + 1)]);
    }
  });

  it('drops unrelated variables of the stack env, and the shell cannot repoint the merchant', () => {
    const shell = {
      PATH: '/usr/bin', HOME: '/home/dev', TENCENTCLOUD_SECRETKEY: 'not-for-functions', NODE_OPTIONS: '--inspect',
      WXPAY_BASE_URL: 'https://api.mch.weixin.qq.com', WXPAY_MCHID: '1999999999', WX_APPID: 'wx0000000000000000', RECONCILE_MIN_AGE_SECONDS: '0',
    };
    const env = functionEnvFor(credentials, SIM, {}, shell);
    for (const name of ['PATH', 'HOME', 'TENCENTCLOUD_SECRETKEY', 'NODE_OPTIONS']) expect(env).not.toHaveProperty(name);
    expect(env).toMatchObject({ WXPAY_BASE_URL: SIM, WXPAY_MCHID: credentials.mchid, WX_APPID: credentials.appid, RECONCILE_MIN_AGE_SECONDS: '0' });
    const allowed = new Set<string>([
      'WX_APPID', 'WXPAY_MCHID', 'WXPAY_MERCHANT_SERIAL_NO', 'WXPAY_PRIVATE_KEY', 'WXPAY_APIV3_KEY', 'WXPAY_NOTIFY_URL', 'WXPAY_BASE_URL',
      'WX_API_BASE_URL', 'WXPAY_PUBLIC_KEY_ID', 'WXPAY_PUBLIC_KEY', ...FUNCTION_SETTINGS,
    ]);
    expect(Object.keys(env).filter((name) => !allowed.has(name))).toEqual([]);
  });

  it('fills the merchant from the dev credentials and the local URLs', () => {
    const env = functionEnvFor(credentials, SIM, {}, {});
    expect(env).toMatchObject({
      WX_APPID: credentials.appid,
      WXPAY_MCHID: credentials.mchid,
      WXPAY_MERCHANT_SERIAL_NO: credentials.merchant.serialNo,
      WXPAY_APIV3_KEY: credentials.apiV3Key,
      WXPAY_NOTIFY_URL: `${LOCAL_NOTIFY_ORIGIN}${NOTIFY_PATH}`,
      WXPAY_BASE_URL: SIM,
    });
    expect(env).not.toHaveProperty('RECONCILE_MIN_AGE_SECONDS');
  });

  it('overrides win over the stack env, and an undefined override removes a variable', () => {
    const env = functionEnvFor(credentials, SIM, { RECONCILE_MIN_AGE_SECONDS: '0', ORDER_EXPIRE_MINUTES: undefined }, { RECONCILE_MIN_AGE_SECONDS: '60', ORDER_EXPIRE_MINUTES: '5' });
    expect(env.RECONCILE_MIN_AGE_SECONDS).toBe('0');
    expect(env).not.toHaveProperty('ORDER_EXPIRE_MINUTES');
  });
});
