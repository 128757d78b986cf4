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
import { t } from '../i18n';

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
  if (!appid) add('error', 'WX_APPID', t('doctor.appidMissing'));
  else if (!/^wx[0-9a-f]{16}$/.test(appid)) add('warn', 'WX_APPID', t('doctor.appidShape', { appid }));
  else add('ok', 'WX_APPID', appid);
  const mchid = env.WXPAY_MCHID;
  if (!mchid) add('error', 'WXPAY_MCHID', t('doctor.mchidMissing'));
  else if (!/^\d{8,12}$/.test(mchid)) add('error', 'WXPAY_MCHID', t('doctor.mchidShape', { mchid }));
  else add('ok', 'WXPAY_MCHID', mchid);
  const serial = env.WXPAY_MERCHANT_SERIAL_NO;
  if (!serial) add('error', 'WXPAY_MERCHANT_SERIAL_NO', t('doctor.serialMissing'));
  else if (!/^[0-9A-Fa-f]{16,64}$/.test(serial)) add('error', 'WXPAY_MERCHANT_SERIAL_NO', t('doctor.serialShape'));
  else add('ok', 'WXPAY_MERCHANT_SERIAL_NO', serial);

  // Merchant private key, and its certificate when given
  let privateKey: KeyObject | undefined;
  if (!env.WXPAY_PRIVATE_KEY) add('error', 'WXPAY_PRIVATE_KEY', t('doctor.keyMissing'));
  else {
    try {
      privateKey = createPrivateKey(pemOf(env.WXPAY_PRIVATE_KEY));
      const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
      if (privateKey.asymmetricKeyType !== 'rsa') add('error', 'WXPAY_PRIVATE_KEY', t('doctor.keyType', { type: String(privateKey.asymmetricKeyType) }));
      else if (bits < 2048) add('error', 'WXPAY_PRIVATE_KEY', t('doctor.keyBits', { bits }));
      else add('ok', 'WXPAY_PRIVATE_KEY', t('doctor.keyOk', { bits }));
    } catch {
      add('error', 'WXPAY_PRIVATE_KEY', t('doctor.keyParse'));
    }
  }
  if (input.merchantCert) checkMerchantCert(input.merchantCert, privateKey, serial, now, add);
  else add('warn', 'merchant certificate', t('doctor.certNotGiven'));

  // APIv3 key
  const v3 = env.WXPAY_APIV3_KEY;
  if (!v3) add('error', 'WXPAY_APIV3_KEY', t('doctor.v3Missing'));
  else if (Buffer.byteLength(v3, 'utf8') !== 32) add('error', 'WXPAY_APIV3_KEY', t('doctor.v3Length', { bytes: Buffer.byteLength(v3, 'utf8') }));
  else add('ok', 'WXPAY_APIV3_KEY', t('doctor.v3Ok'));

  checkNotifyUrl(env.WXPAY_NOTIFY_URL, add);
  checkVerificationMode(env, privateKey, add);

  const base = env.WXPAY_BASE_URL;
  if (base) {
    let host = '';
    try {
      host = new URL(base).hostname;
    } catch {
      add('error', 'WXPAY_BASE_URL', t('doctor.baseNotUrl'));
    }
    if (host === '127.0.0.1' || host === 'localhost') add('warn', 'WXPAY_BASE_URL', t('doctor.baseSimulator', { base }));
    else if (host && !OFFICIAL_HOSTS.has(host)) add('warn', 'WXPAY_BASE_URL', t('doctor.baseUnofficial', { base }));
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
    add('ok', 'lib/config', t('doctor.libOk', { mode: modeName }));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    if (!found.some((f) => f.level === 'error' && (f.subject === e.variable || f.subject === 'verification mode'))) {
      add('error', e.variable, t('doctor.libRefused', { message: configErrorText(e) }));
    }
  }
}

type Add = (level: Level, subject: string, message: string) => void;

/** A configuration refusal in the CLI's language, worded from the kind lib gives it; lib's English text (kept for logs) when it gives none. */
function configErrorText(e: ConfigError): string {
  const p = e.problemData;
  const variable = e.variable;
  if (!p) return e.message;
  switch (p.kind) {
    case 'INT_RANGE':
      return t('doctor.setting.intRange', { variable, min: p.min, max: p.max, unit: p.unit ? t('doctor.setting.unit', { unit: p.unit === 'seconds' ? t('doctor.setting.seconds') : p.unit }) : '' });
    case 'OPENID_LIST': return t('doctor.setting.openids', { variable, length: p.length });
    case 'FORMAT': return t(`doctor.config.FORMAT.${p.expected}`, { variable });
    case 'KEY_UNPARSABLE': return t(`doctor.config.KEY_UNPARSABLE.${p.key}`, { variable });
    default: {
      const { kind, ...values } = p;
      return t(`doctor.config.${kind}`, { variable, ...values });
    }
  }
}

/**
 * The other settings the functions read at start (identity, orders, refunds, bills, shipping), through the same
 * loaders the functions use, so a typo fails here and not on the first customer.
 */
function checkFunctionSettings(env: DoctorInput['env'], add: Add): void {
  try {
    const identity = loadIdentityConfig(env);
    add('ok', 'IDENTITY_MODE', identity.mode === 'session'
      ? t('doctor.identitySession')
      : t('doctor.identityContext'));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    add('error', e.variable, configErrorText(e));
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
      add('ok', subject, t('doctor.accepted'));
    } catch (e) {
      const variable = e instanceof ConfigError ? e.variable : undefined;
      if (variable && reported.has(variable)) continue;
      if (variable) reported.add(variable);
      add('error', subject, e instanceof ConfigError ? configErrorText(e) : (e as Error).message);
    }
  }
  if (!env.REFUND_ADMIN_OPENIDS) add('warn', 'REFUND_ADMIN_OPENIDS', t('doctor.refundAdminsEmpty'));
}

/**
 * A plain SCF deployment that copies the WeChat Cloud settings deploys functions that refuse every
 * customer (no platform identity behind a function URL) or talk to no database: catch both here.
 */
function checkScfTarget(env: DoctorInput['env'], scf: { functionUrls: boolean }, add: Add): void {
  if (scf.functionUrls && env.IDENTITY_MODE !== 'session') {
    add('error', 'IDENTITY_MODE', t('doctor.scfIdentity'));
  }
  if (!env.TCB_ENV) add('warn', 'TCB_ENV', t('doctor.tcbEnvMissing'));
  else add('ok', 'TCB_ENV', env.TCB_ENV);
}

function checkMerchantCert(pem: string, privateKey: KeyObject | undefined, serial: string | undefined, now: Date, add: Add): void {
  const text = pemOf(pem);
  if (text.includes('BEGIN CERTIFICATE')) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(text);
    } catch {
      add('error', 'merchant certificate', t('doctor.certParse'));
      return;
    }
    if (serial && cert.serialNumber.toUpperCase() !== serial.toUpperCase()) {
      add('error', 'WXPAY_MERCHANT_SERIAL_NO', t('doctor.serialMismatch', { serial: cert.serialNumber.toUpperCase() }));
    } else if (serial) add('ok', 'merchant certificate', t('doctor.serialMatches'));
    if (privateKey && !cert.checkPrivateKey(privateKey)) add('error', 'WXPAY_PRIVATE_KEY', t('doctor.keyNotCert'));
    else if (privateKey) add('ok', 'merchant certificate', t('doctor.keyMatchesCert'));
    const left = new Date(cert.validTo).getTime() - now.getTime();
    if (left < 0) add('error', 'merchant certificate', t('doctor.certExpired', { date: cert.validTo }));
    else if (left < 30 * DAY) add('warn', 'merchant certificate', t('doctor.certExpiring', { date: cert.validTo, days: Math.floor(left / DAY) }));
    return;
  }
  let pub: KeyObject;
  try {
    pub = createPublicKey(text);
  } catch {
    add('error', 'merchant certificate', t('doctor.certNeither'));
    return;
  }
  if (privateKey && !samePublicKey(createPublicKey(privateKey), pub)) add('error', 'WXPAY_PRIVATE_KEY', t('doctor.keyNotPub'));
  else if (privateKey) add('ok', 'merchant certificate', t('doctor.keyMatchesPub'));
}

function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  return a.export({ type: 'spki', format: 'der' }).equals(b.export({ type: 'spki', format: 'der' }));
}

function checkNotifyUrl(value: string | undefined, add: Add): void {
  const S = 'WXPAY_NOTIFY_URL';
  if (!value) return add('error', S, t('doctor.notifyMissing'));
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return add('error', S, t('doctor.notifyNotUrl', { value }));
  }
  if (u.protocol !== 'https:') return add('error', S, t('doctor.notifyHttps', { protocol: u.protocol }));
  if (u.search || value.includes('?')) return add('error', S, t('doctor.notifyQuery'));
  if (u.hash) return add('error', S, t('doctor.notifyFragment'));
  if (value.length > 255) return add('error', S, t('doctor.notifyLength', { length: value.length }));
  if (['localhost', '127.0.0.1', '[::1]'].includes(u.hostname) || /^(10|192\.168|172\.(1[6-9]|2\d|3[01]))\./.test(u.hostname)) {
    return add('error', S, t('doctor.notifyPrivate', { host: u.hostname }));
  }
  add('ok', S, value);
}

/** The three key modes and what each means for the merchant (README "Key modes"). */
const MODE_TEXT = {
  certificate: () => t('doctor.mode.certificate'),
  publicKey: () => t('doctor.mode.publicKey'),
  migration: () => t('doctor.mode.migration'),
} as const;

function checkVerificationMode(env: DoctorInput['env'], privateKey: KeyObject | undefined, add: Add): void {
  const id = env.WXPAY_PUBLIC_KEY_ID;
  const key = env.WXPAY_PUBLIC_KEY;
  const certificates = (env.WXPAY_PLATFORM_CERTIFICATES ?? '').trim().toLowerCase();
  if (certificates !== '' && certificates !== 'true' && certificates !== 'false') {
    add('error', 'WXPAY_PLATFORM_CERTIFICATES', t('doctor.platformCertsValue', { value: String(env.WXPAY_PLATFORM_CERTIFICATES) }));
    return;
  }
  if (!id && !key) {
    if (certificates === 'false') {
      add('error', 'verification mode', t('doctor.modeNothing'));
      return;
    }
    add('ok', 'verification mode', MODE_TEXT.certificate());
    return;
  }
  if (!id || !key) {
    add('error', 'verification mode', t('doctor.modeHalf', { name: id ? 'WXPAY_PUBLIC_KEY_ID' : 'WXPAY_PUBLIC_KEY' }));
    return;
  }
  if (!/^PUB_KEY_ID_\w+$/.test(id)) add('error', 'WXPAY_PUBLIC_KEY_ID', t('doctor.pubIdShape', { id }));
  else add('ok', 'WXPAY_PUBLIC_KEY_ID', id);
  let pub: KeyObject;
  try {
    pub = createPublicKey(pemOf(key));
  } catch {
    add('error', 'WXPAY_PUBLIC_KEY', t('doctor.pubParse'));
    return;
  }
  if (privateKey && samePublicKey(createPublicKey(privateKey), pub)) {
    add('error', 'WXPAY_PUBLIC_KEY', t('doctor.pubIsMerchant'));
    return;
  }
  const migration = certificates === 'true';
  add('ok', 'WXPAY_PUBLIC_KEY', t('doctor.pubOk', { mode: migration ? 'migration' : 'public-key' }));
  add('ok', 'verification mode', migration ? MODE_TEXT.migration() : MODE_TEXT.publicKey());
}
