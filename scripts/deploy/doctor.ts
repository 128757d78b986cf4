/**
 * Configuration checks run before deploying (npm run doctor). Pure: a map of function
 * environment values (+ optional merchant certificate) in, findings out. Messages name the
 * variable and what to do, and never contain a secret value.
 */
import { createPrivateKey, createPublicKey, KeyObject, X509Certificate } from 'node:crypto';
import { ConfigError, loadConfig, loadIdentityConfig } from '../../lib/config';
import { loadOrderSettings } from '../../lib/orders/settings';
import { loadRefundSettings } from '../../lib/refunds/settings';
import { loadBillSettings } from '../../lib/bills/settings';
import { loadCheckMinAge, loadOutboxMinAge, loadShippingStaff } from '../../lib/fulfilment/settings';

export type Level = 'ok' | 'warn' | 'error';
export interface Finding {
  level: Level;
  /** The variable or topic, e.g. WXPAY_APIV3_KEY. */
  subject: string;
  message: string;
}

export interface DoctorInput {
  env: Record<string, string | undefined>;
  /** apiclient_cert.pem (or the merchant public key) as PEM text, when the user passed one. */
  merchantCert?: string;
  now?: Date;
  /**
   * Set when the configuration is for Tencent SCF (a deploy config was given): there the platform
   * knows no WeChat user and no CloudBase environment unless the configuration says so.
   */
  scf?: { functionUrls: boolean };
}

/** PEM text as is; otherwise base64 of a PEM (file paths are resolved by the caller). */
export function pemOf(value: string): string {
  // Literal "\n" escapes, as lib/config accepts them (one-line env values).
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.includes('-----BEGIN') ? decoded : value;
}

const DAY = 86_400_000;
const OFFICIAL_HOSTS = new Set(['api.mch.weixin.qq.com', 'api2.mch.weixin.qq.com']);

export function runChecks(input: DoctorInput): Finding[] {
  const env = input.env;
  const now = input.now ?? new Date();
  const out: Finding[] = [];
  const add = (level: Level, subject: string, message: string) => out.push({ level, subject, message });

  // Identifiers
  const appid = env.WX_APPID;
  if (!appid) add('error', 'WX_APPID', 'missing: the mini-program AppID bound to the merchant (starts with wx)');
  else if (!/^wx[0-9a-f]{16}$/.test(appid)) add('warn', 'WX_APPID', `"${appid}" does not look like an AppID (wx + 16 hex digits)`);
  else add('ok', 'WX_APPID', appid);
  const mchid = env.WXPAY_MCHID;
  if (!mchid) add('error', 'WXPAY_MCHID', 'missing: the merchant id (商户号) from pay.weixin.qq.com');
  else if (!/^\d{8,12}$/.test(mchid)) add('error', 'WXPAY_MCHID', `"${mchid}" is not a merchant id (8-12 digits)`);
  else add('ok', 'WXPAY_MCHID', mchid);
  const serial = env.WXPAY_MERCHANT_SERIAL_NO;
  if (!serial) add('error', 'WXPAY_MERCHANT_SERIAL_NO', 'missing: the serial number of your merchant API certificate (商户API证书序列号)');
  else if (!/^[0-9A-Fa-f]{16,64}$/.test(serial)) add('error', 'WXPAY_MERCHANT_SERIAL_NO', 'is not a hex certificate serial number');
  else add('ok', 'WXPAY_MERCHANT_SERIAL_NO', serial);

  // Merchant private key, and its certificate when given
  let privateKey: KeyObject | undefined;
  if (!env.WXPAY_PRIVATE_KEY) add('error', 'WXPAY_PRIVATE_KEY', 'missing: apiclient_key.pem as PEM text, base64 of the PEM, or a file path');
  else {
    try {
      privateKey = createPrivateKey(pemOf(env.WXPAY_PRIVATE_KEY));
      const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
      if (privateKey.asymmetricKeyType !== 'rsa') add('error', 'WXPAY_PRIVATE_KEY', `is a ${privateKey.asymmetricKeyType} key; WeChat Pay APIv3 signs with RSA`);
      else if (bits < 2048) add('error', 'WXPAY_PRIVATE_KEY', `RSA key of ${bits} bits; WeChat Pay requires 2048`);
      else add('ok', 'WXPAY_PRIVATE_KEY', `RSA ${bits}-bit private key parses`);
    } catch {
      add('error', 'WXPAY_PRIVATE_KEY', 'does not parse as a private key (expected the PEM of apiclient_key.pem)');
    }
  }
  if (input.merchantCert) checkMerchantCert(input.merchantCert, privateKey, serial, now, add);
  else add('warn', 'merchant certificate', 'not given: pass --merchant-cert apiclient_cert.pem to check that the key and the serial number belong together');

  // APIv3 key
  const v3 = env.WXPAY_APIV3_KEY;
  if (!v3) add('error', 'WXPAY_APIV3_KEY', 'missing: the 32-character APIv3 key set in the merchant platform (API安全)');
  else if (Buffer.byteLength(v3, 'utf8') !== 32) add('error', 'WXPAY_APIV3_KEY', `is ${Buffer.byteLength(v3, 'utf8')} bytes; it must be exactly 32 (AES-256-GCM key)`);
  else add('ok', 'WXPAY_APIV3_KEY', '32 bytes');

  checkNotifyUrl(env.WXPAY_NOTIFY_URL, add);
  checkVerificationMode(env, privateKey, add);

  const base = env.WXPAY_BASE_URL;
  if (base) {
    let host = '';
    try {
      host = new URL(base).hostname;
    } catch {
      add('error', 'WXPAY_BASE_URL', 'is not a URL');
    }
    if (host === '127.0.0.1' || host === 'localhost') add('warn', 'WXPAY_BASE_URL', `${base} is the offline simulator; unset it to reach WeChat Pay`);
    else if (host && !OFFICIAL_HOSTS.has(host)) add('warn', 'WXPAY_BASE_URL', `${base} is not api.mch.weixin.qq.com (or api2.)`);
  }
  crossCheckWithRuntime(env, out, add);
  checkFunctionSettings(env, add);
  if (input.scf) checkScfTarget(env, input.scf, add);
  return out;
}

/**
 * The functions read their configuration with lib/config's loadConfig; run it too, so the doctor
 * never passes what the functions would refuse. Its error is reported only when the checks above
 * did not already flag that variable.
 */
function crossCheckWithRuntime(env: DoctorInput['env'], found: Finding[], add: Add): void {
  try {
    const cfg = loadConfig(env);
    const modeName = { publicKey: 'public-key', certificate: 'platform-certificate', migration: 'migration: public key and platform certificates' }[cfg.mode];
    add('ok', 'lib/config', `the functions accept this configuration (${modeName} mode)`);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    if (!found.some((f) => f.level === 'error' && (f.subject === e.variable || f.subject === 'verification mode'))) {
      add('error', e.variable, `refused by lib/config: ${e.message}`);
    }
  }
}

type Add = (level: Level, subject: string, message: string) => void;

/**
 * The other settings the functions read at start (identity, orders, refunds, bills, shipping), through the same
 * loaders the functions use, so a typo fails here and not on the first customer.
 */
function checkFunctionSettings(env: DoctorInput['env'], add: Add): void {
  try {
    const identity = loadIdentityConfig(env);
    add('ok', 'IDENTITY_MODE', identity.mode === 'session'
      ? 'session: login exchanges wx.login codes (WX_APP_SECRET) for session tokens (SCF function URLs)'
      : 'wxcontext: identity from the WeChat Cloud platform context');
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    add('error', e.variable, e.message);
  }
  const loaders: Array<[string, () => unknown]> = [
    ['order settings', () => loadOrderSettings(env)],
    ['refund settings', () => loadRefundSettings(env)],
    ['bill settings', () => loadBillSettings(env)],
    ['shipping settings', () => [loadShippingStaff(env), loadCheckMinAge(env), loadOutboxMinAge(env)]],
  ];
  // Bill and shipping staff fall back to REFUND_ADMIN_OPENIDS: a bad value is reported once, by the first loader that reads it.
  const reported = new Set<string>();
  for (const [subject, load] of loaders) {
    try {
      load();
      add('ok', subject, 'accepted');
    } catch (e) {
      const variable = e instanceof ConfigError ? e.variable : undefined;
      if (variable && reported.has(variable)) continue;
      if (variable) reported.add(variable);
      add('error', subject, (e as Error).message);
    }
  }
  if (!env.REFUND_ADMIN_OPENIDS) add('warn', 'REFUND_ADMIN_OPENIDS', 'empty: nobody can call refundOrder until staff openids are listed');
}

/**
 * A plain SCF deployment that copies the WeChat Cloud settings deploys functions that refuse every
 * customer (no platform identity behind a function URL) or talk to no database: catch both here.
 */
function checkScfTarget(env: DoctorInput['env'], scf: { functionUrls: boolean }, add: Add): void {
  if (scf.functionUrls && env.IDENTITY_MODE !== 'session') {
    add('error', 'IDENTITY_MODE', 'function URLs carry no WeChat user: set IDENTITY_MODE=session with SESSION_TOKEN_SECRET and WX_APP_SECRET (README, "SCF / HTTP identity"), or every client call answers UNAUTHENTICATED');
  }
  if (!env.TCB_ENV) add('warn', 'TCB_ENV', 'missing: set it to the CloudBase environment id that holds the collections (wx-server-sdk on plain SCF has no other way to know it)');
  else add('ok', 'TCB_ENV', env.TCB_ENV);
}

function checkMerchantCert(pem: string, privateKey: KeyObject | undefined, serial: string | undefined, now: Date, add: Add): void {
  const text = pemOf(pem);
  if (text.includes('BEGIN CERTIFICATE')) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(text);
    } catch {
      add('error', 'merchant certificate', 'does not parse as an X.509 certificate');
      return;
    }
    if (serial && cert.serialNumber.toUpperCase() !== serial.toUpperCase()) {
      add('error', 'WXPAY_MERCHANT_SERIAL_NO', `does not match the certificate (its serial is ${cert.serialNumber.toUpperCase()})`);
    } else if (serial) add('ok', 'merchant certificate', 'serial number matches WXPAY_MERCHANT_SERIAL_NO');
    if (privateKey && !cert.checkPrivateKey(privateKey)) add('error', 'WXPAY_PRIVATE_KEY', 'does not belong to the merchant certificate: use the apiclient_key.pem issued with it');
    else if (privateKey) add('ok', 'merchant certificate', 'private key matches the certificate');
    const left = new Date(cert.validTo).getTime() - now.getTime();
    if (left < 0) add('error', 'merchant certificate', `expired on ${cert.validTo}: renew it in the merchant platform`);
    else if (left < 30 * DAY) add('warn', 'merchant certificate', `expires on ${cert.validTo} (in ${Math.floor(left / DAY)} days)`);
    return;
  }
  let pub: KeyObject;
  try {
    pub = createPublicKey(text);
  } catch {
    add('error', 'merchant certificate', 'is neither a certificate nor a public key PEM');
    return;
  }
  if (privateKey && !samePublicKey(createPublicKey(privateKey), pub)) add('error', 'WXPAY_PRIVATE_KEY', 'does not match the merchant public key given');
  else if (privateKey) add('ok', 'merchant certificate', 'private key matches the public key (give the certificate to check the serial too)');
}

function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  return a.export({ type: 'spki', format: 'der' }).equals(b.export({ type: 'spki', format: 'der' }));
}

function checkNotifyUrl(value: string | undefined, add: Add): void {
  const S = 'WXPAY_NOTIFY_URL';
  if (!value) return add('error', S, 'missing: the https URL that receives payment notifications (payNotify HTTP access path or function URL)');
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return add('error', S, `"${value}" is not a URL`);
  }
  if (u.protocol !== 'https:') return add('error', S, `must be https (WeChat Pay only notifies https URLs), got ${u.protocol}`);
  if (u.search || value.includes('?')) return add('error', S, 'must not carry a query string: WeChat Pay refuses notify_url with parameters');
  if (u.hash) return add('error', S, 'must not carry a #fragment');
  if (value.length > 255) return add('error', S, `is ${value.length} characters; notify_url allows at most 255`);
  if (['localhost', '127.0.0.1', '[::1]'].includes(u.hostname) || /^(10|192\.168|172\.(1[6-9]|2\d|3[01]))\./.test(u.hostname)) {
    return add('error', S, `${u.hostname} is not reachable from WeChat Pay's servers`);
  }
  add('ok', S, value);
}

/** The three key modes and what each means for the merchant (README "Key modes"). */
const MODE_TEXT = {
  certificate: 'platform-certificate mode: certificates are fetched from /v3/certificates (set WXPAY_PUBLIC_KEY_ID + WXPAY_PUBLIC_KEY for public-key mode, new merchants are issued a WeChat Pay public key instead of platform certificates)',
  publicKey: 'public-key mode: every request names WXPAY_PUBLIC_KEY_ID in Wechatpay-Serial and WeChat Pay signs with that key; no platform certificates are downloaded',
  migration: 'migration mode (public key AND platform certificates): every request names WXPAY_PUBLIC_KEY_ID, certificates are still downloaded and refreshed, and answers and notifications signed by either are accepted — WeChat Pay signs notifications with both during its switch. When the merchant platform says the switch is complete, remove WXPAY_PLATFORM_CERTIFICATES (public-key mode)',
} as const;

function checkVerificationMode(env: DoctorInput['env'], privateKey: KeyObject | undefined, add: Add): void {
  const id = env.WXPAY_PUBLIC_KEY_ID;
  const key = env.WXPAY_PUBLIC_KEY;
  const certificates = (env.WXPAY_PLATFORM_CERTIFICATES ?? '').trim().toLowerCase();
  if (certificates !== '' && certificates !== 'true' && certificates !== 'false') {
    add('error', 'WXPAY_PLATFORM_CERTIFICATES', `"${env.WXPAY_PLATFORM_CERTIFICATES}" must be "true" (with the public key: migration mode) or "false"`);
    return;
  }
  if (!id && !key) {
    if (certificates === 'false') {
      add('error', 'verification mode', 'WXPAY_PLATFORM_CERTIFICATES=false without WXPAY_PUBLIC_KEY_ID/WXPAY_PUBLIC_KEY: nothing could verify WeChat Pay\'s signatures');
      return;
    }
    add('ok', 'verification mode', MODE_TEXT.certificate);
    return;
  }
  if (!id || !key) {
    add('error', 'verification mode', `public-key mode needs both WXPAY_PUBLIC_KEY_ID and WXPAY_PUBLIC_KEY; only ${id ? 'WXPAY_PUBLIC_KEY_ID' : 'WXPAY_PUBLIC_KEY'} is set`);
    return;
  }
  if (!/^PUB_KEY_ID_\w+$/.test(id)) add('error', 'WXPAY_PUBLIC_KEY_ID', `"${id}" is not a WeChat Pay public key id (PUB_KEY_ID_…)`);
  else add('ok', 'WXPAY_PUBLIC_KEY_ID', id);
  let pub: KeyObject;
  try {
    pub = createPublicKey(pemOf(key));
  } catch {
    add('error', 'WXPAY_PUBLIC_KEY', 'does not parse as a public key (expected pub_key.pem downloaded from the merchant platform)');
    return;
  }
  if (privateKey && samePublicKey(createPublicKey(privateKey), pub)) {
    add('error', 'WXPAY_PUBLIC_KEY', "is your merchant key's public half; it must be the WeChat Pay public key (微信支付公钥)");
    return;
  }
  const migration = certificates === 'true';
  add('ok', 'WXPAY_PUBLIC_KEY', `public key parses (${migration ? 'migration' : 'public-key'} mode)`);
  add('ok', 'verification mode', migration ? MODE_TEXT.migration : MODE_TEXT.publicKey);
}
