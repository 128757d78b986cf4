/**
 * The one seam that points the functions at the local stack: the same variables a real
 * deployment sets (see README "Go live"), filled from the dev credentials and the local URLs.
 * Nothing in lib/ or cloudfunctions/ knows it runs locally.
 */
import type { DevCredentials } from '../../emulator/credentials';
import { FUNCTION_SETTINGS } from '../../lib/settings';

/** The registered notify host; the simulator maps it to the CloudBase emulator's HTTP access. */
export const LOCAL_NOTIFY_ORIGIN = 'https://notify.wxcloud-pay.local';
export const NOTIFY_PATH = '/pay/notify';

/** Function settings a developer may set in their shell; `npm start` passes them through. */
export const PASSTHROUGH_SETTINGS = FUNCTION_SETTINGS;

export function functionEnvFor(
  credentials: DevCredentials,
  simulatorUrl: string,
  overrides: Record<string, string | undefined> = {},
  shell: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {
    WX_APPID: credentials.appid,
    WXPAY_MCHID: credentials.mchid,
    WXPAY_MERCHANT_SERIAL_NO: credentials.merchant.serialNo,
    WXPAY_PRIVATE_KEY: credentials.merchant.privateKey,
    WXPAY_APIV3_KEY: credentials.apiV3Key,
    WXPAY_NOTIFY_URL: `${LOCAL_NOTIFY_ORIGIN}${NOTIFY_PATH}`,
    WXPAY_BASE_URL: simulatorUrl,
    // code2Session for IDENTITY_MODE=session (SCF function URLs); unused on the WeChat Cloud path.
    WX_API_BASE_URL: simulatorUrl,
  };
  if (credentials.platform.serial.startsWith('PUB_KEY_ID_')) {
    env.WXPAY_PUBLIC_KEY_ID = credentials.platform.serial;
    env.WXPAY_PUBLIC_KEY = credentials.platform.publicKey;
  }
  for (const name of PASSTHROUGH_SETTINGS) {
    const value = shell[name];
    if (value !== undefined && value !== '') env[name] = value;
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
