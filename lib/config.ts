/**
 * Typed WeChat Pay configuration, read from the environment once and validated up front, so a missing or
 * malformed value fails at start-up with the variable's name instead of on the first payment.
 * Keys may be PEM text (literal "\n" escapes allowed), base64 of a PEM, or a path to a PEM file.
 * Error messages never contain a secret value.
 */
import { createPrivateKey, createPublicKey, KeyObject } from 'crypto';
import { existsSync, readFileSync } from 'fs';
import { ConfigError, type ConfigFormat } from './config-error';
import { readIntSetting, SETTINGS, type SettingName } from './settings';

export const DEFAULT_WXPAY_BASE_URL = 'https://api.mch.weixin.qq.com';

export type ConfigVariable =
  | 'WX_APPID'
  | 'WXPAY_MCHID'
  | 'WXPAY_MERCHANT_SERIAL_NO'
  | 'WXPAY_PRIVATE_KEY'
  | 'WXPAY_APIV3_KEY'
  | 'WXPAY_PUBLIC_KEY_ID'
  | 'WXPAY_PUBLIC_KEY'
  | 'WXPAY_PLATFORM_CERTIFICATES'
  | 'WXPAY_NOTIFY_URL'
  | 'WXPAY_BASE_URL'
  | IdentityVariable
  | SecretsVariable
  | PlatformVariable
  | SettingName;

/** lib/platform: how the functions reach the mini-program platform (shipping APIs). */
export type PlatformVariable = 'MINI_PLATFORM_TRANSPORT' | 'SHIPPING_ADMIN_OPENIDS' | 'MSG_PUSH_TOKEN' | 'SHIPPING_CHECK_MIN_AGE_SECONDS' | 'SHIPPING_OUTBOX_MIN_AGE_SECONDS';

/** lib/ssm: how `ssm:` references in secret-bearing variables are resolved (see README "Go live"). */
export type SecretsVariable = 'SECRETS_CACHE_TTL_SECONDS' | 'TENCENTCLOUD_SSM_ENDPOINT' | 'TENCENTCLOUD_REGION' | 'TENCENTCLOUD_SECRETID';

export { ConfigError };

export interface WxPayConfig {
  appid: string;
  mchid: string;
  /** Serial of the merchant API certificate. */
  serialNo: string;
  /** Parsed once. */
  privateKey: KeyObject;
  /** Exactly 32 bytes. */
  apiV3Key: string;
  /**
   * How WeChat Pay's signatures are verified (README "Key modes"): 'certificate' (downloaded platform
   * certificates), 'publicKey' (WXPAY_PUBLIC_KEY_ID/WXPAY_PUBLIC_KEY), or 'migration' — both at once,
   * while WeChat Pay moves a merchant from certificates to the public key (WXPAY_PLATFORM_CERTIFICATES=true
   * next to the public key).
   */
  mode: KeyMode;
  publicKeyId?: string;
  publicKey?: KeyObject;
  /** https, no query string. */
  notifyUrl: string;
  /** Default https://api.mch.weixin.qq.com; the local stack points it at the simulator. */
  baseUrl: string;
}

type Env = Record<string, string | undefined>;

export type KeyMode = 'publicKey' | 'certificate' | 'migration';

/** Whether platform certificates are downloaded and trusted (certificate and migration mode). */
export function usesPlatformCertificates(mode: KeyMode): boolean {
  return mode !== 'publicKey';
}

export function loadConfig(env: Env = process.env): WxPayConfig {
  const appid = match(env, 'WX_APPID', /^wx[0-9A-Za-z]{8,32}$/, 'must be a mini-program AppID (wx followed by letters/digits)', 'appid');
  const mchid = match(env, 'WXPAY_MCHID', /^\d{8,12}$/, 'must be the merchant id (8-12 digits)', 'mchid');
  const serialNo = match(env, 'WXPAY_MERCHANT_SERIAL_NO', /^[0-9A-Fa-f]{16,64}$/, 'must be the hex serial of the merchant API certificate', 'serial');
  const privateKey = privateKeyFrom(env, 'WXPAY_PRIVATE_KEY');
  const apiV3Key = required(env, 'WXPAY_APIV3_KEY');
  if (Buffer.byteLength(apiV3Key, 'utf8') !== 32) {
    throw new ConfigError('WXPAY_APIV3_KEY', `must be exactly 32 bytes (got ${Buffer.byteLength(apiV3Key, 'utf8')})`, { kind: 'BYTES_EXACT', bytes: 32, got: Buffer.byteLength(apiV3Key, 'utf8') });
  }
  const hasId = present(env, 'WXPAY_PUBLIC_KEY_ID');
  const hasKey = present(env, 'WXPAY_PUBLIC_KEY');
  if (hasId !== hasKey) {
    const missing = hasId ? 'WXPAY_PUBLIC_KEY' : 'WXPAY_PUBLIC_KEY_ID';
    const other = hasId ? 'WXPAY_PUBLIC_KEY_ID' : 'WXPAY_PUBLIC_KEY';
    throw new ConfigError(missing, `is required together with ${other} (public-key mode)`, { kind: 'REQUIRED_WITH', other });
  }
  const publicKeyId = hasId ? match(env, 'WXPAY_PUBLIC_KEY_ID', /^PUB_KEY_ID_[0-9A-Za-z_]+$/, 'must look like PUB_KEY_ID_…', 'publicKeyId') : undefined;
  const publicKey = hasKey ? publicKeyFrom(env, 'WXPAY_PUBLIC_KEY') : undefined;
  const certificates = platformCertificatesFrom(env, publicKey !== undefined);
  const notifyUrl = httpsUrl(env, 'WXPAY_NOTIFY_URL');
  const baseUrl = baseUrlFrom(env);
  const mode: KeyMode = !publicKey ? 'certificate' : certificates ? 'migration' : 'publicKey';
  return {
    appid, mchid, serialNo, privateKey, apiV3Key, notifyUrl, baseUrl, mode,
    ...(publicKey ? { publicKeyId, publicKey } : {}),
  };
}

/** WXPAY_PLATFORM_CERTIFICATES: default true without a public key, false with one; true next to one = migration. */
function platformCertificatesFrom(env: Env, hasPublicKey: boolean): boolean {
  if (!present(env, 'WXPAY_PLATFORM_CERTIFICATES')) return !hasPublicKey;
  const value = required(env, 'WXPAY_PLATFORM_CERTIFICATES').toLowerCase();
  if (value !== 'true' && value !== 'false') {
    throw new ConfigError('WXPAY_PLATFORM_CERTIFICATES', 'must be "true" (download platform certificates; with WXPAY_PUBLIC_KEY this is the migration mode) or "false"', { kind: 'CERTIFICATES_FLAG' });
  }
  if (value === 'false' && !hasPublicKey) {
    throw new ConfigError('WXPAY_PLATFORM_CERTIFICATES', 'is "false" but no WXPAY_PUBLIC_KEY_ID/WXPAY_PUBLIC_KEY is set: nothing could verify WeChat Pay\'s signatures', { kind: 'NO_VERIFIER' });
  }
  return value === 'true';
}

function present(env: Env, name: ConfigVariable): boolean {
  return (env[name] ?? '').trim() !== '';
}

function required(env: Env, name: ConfigVariable): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new ConfigError(name, 'is not set', { kind: 'NOT_SET' });
  return value.trim();
}

function match(env: Env, name: ConfigVariable, pattern: RegExp, problem: string, expected: ConfigFormat): string {
  const value = required(env, name);
  if (!pattern.test(value)) throw new ConfigError(name, problem, { kind: 'FORMAT', expected });
  return value;
}

/** PEM text, base64 of a PEM, or a file path → PEM text. */
export function readPem(env: Env, name: ConfigVariable): string {
  const value = required(env, name);
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  if (/^[A-Za-z0-9+/=\s]+$/.test(value) && value.length >= 64) {
    const decoded = Buffer.from(value.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (decoded.includes('-----BEGIN')) return decoded;
  }
  if (existsSync(value)) {
    const text = readFileSync(value, 'utf8');
    if (!text.includes('-----BEGIN')) throw new ConfigError(name, `points to ${value}, which does not contain a PEM`, { kind: 'FILE_NOT_PEM', path: value });
    return text;
  }
  throw new ConfigError(name, 'is neither PEM text, base64 of a PEM, nor the path of an existing PEM file', { kind: 'NOT_PEM' });
}

function privateKeyFrom(env: Env, name: ConfigVariable): KeyObject {
  return rsaKeyFrom(env, name, createPrivateKey, 'a parsable private key PEM (expected apiclient_key.pem, PKCS#8)', 'private');
}

function publicKeyFrom(env: Env, name: ConfigVariable): KeyObject {
  // A certificate PEM works too: createPublicKey takes the key out of it.
  return rsaKeyFrom(env, name, createPublicKey, 'a parsable public key PEM (the WeChat Pay public key, pub_key.pem)', 'public');
}

function rsaKeyFrom(env: Env, name: ConfigVariable, parse: (pem: string) => KeyObject, expected: string, keyKind: 'private' | 'public'): KeyObject {
  const pem = readPem(env, name);
  let key: KeyObject;
  try {
    key = parse(pem);
  } catch {
    throw new ConfigError(name, `is not ${expected}`, { kind: 'KEY_UNPARSABLE', key: keyKind });
  }
  rsa2048(key, name);
  return key;
}

function rsa2048(key: KeyObject, name: ConfigVariable): void {
  if (key.asymmetricKeyType !== 'rsa') throw new ConfigError(name, `is a ${key.asymmetricKeyType} key; WeChat Pay APIv3 uses RSA`, { kind: 'KEY_NOT_RSA', type: String(key.asymmetricKeyType) });
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw new ConfigError(name, `is a ${bits}-bit RSA key; at least 2048 bits are required`, { kind: 'KEY_TOO_SHORT', bits });
}

function absoluteUrl(name: ConfigVariable, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new ConfigError(name, 'is not an absolute URL', { kind: 'NOT_URL' });
  }
}

function httpsUrl(env: Env, name: ConfigVariable): string {
  const value = required(env, name);
  const url = absoluteUrl(name, value);
  if (url.protocol !== 'https:') throw new ConfigError(name, 'must use https (WeChat Pay only calls https notify URLs)', { kind: 'NOTIFY_NOT_HTTPS' });
  if (url.search || url.hash || value.includes('?')) throw new ConfigError(name, 'must not carry a query string or fragment (WeChat Pay rejects it)', { kind: 'URL_QUERY' });
  return value;
}

/** WeChat Pay's (or the mini-program platform's) base URL: https, or plain http to this machine only; the default when unset. */
export function baseUrlFrom(env: Env, name: 'WXPAY_BASE_URL' | 'WX_API_BASE_URL' = 'WXPAY_BASE_URL', fallback = DEFAULT_WXPAY_BASE_URL): string {
  if (!present(env, name)) return fallback;
  const value = required(env, name);
  const url = absoluteUrl(name, value);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  // Plain http only to a simulator on this machine: signed calls and secrets never cross a network unencrypted.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError(name, 'must be https (plain http is allowed only for 127.0.0.1/localhost)', { kind: 'BASE_NOT_HTTPS' });
  }
  if (url.search || url.hash) throw new ConfigError(name, 'must not carry a query string or fragment', { kind: 'URL_QUERY' });
  return value.replace(/\/+$/, '');
}

// ---- Identity (issue 7): who the caller is, decided by the deployment, never by the request. ----

export type IdentityVariable = 'IDENTITY_MODE' | 'SESSION_TOKEN_SECRET' | 'SESSION_TTL_SECONDS' | 'WX_APP_SECRET' | 'WX_API_BASE_URL';
export const DEFAULT_WX_API_BASE_URL = 'https://api.weixin.qq.com';
export const DEFAULT_SESSION_TTL_SECONDS = SETTINGS.SESSION_TTL_SECONDS.default;

export interface SessionIdentityConfig {
  appid: string;
  /** HMAC key, at least 32 bytes. */
  secret: Buffer;
  ttlSeconds: number;
  /** Only login needs it (code2Session); other functions may run without it. */
  appSecret?: string;
  /** Default https://api.weixin.qq.com; the local stack points it at the simulator. */
  wxApiBaseUrl: string;
}

/** 'wxcontext' (default): WeChat Cloud's cloud.getWXContext(). 'session': login's signed tokens (SCF function URLs). */
export type IdentityConfig = { mode: 'wxcontext' } | { mode: 'session'; session: SessionIdentityConfig };

export function loadIdentityConfig(env: Env = process.env): IdentityConfig {
  const mode = (env.IDENTITY_MODE ?? '').trim() || 'wxcontext';
  if (mode === 'wxcontext') return { mode };
  if (mode !== 'session') throw new ConfigError('IDENTITY_MODE', 'must be "wxcontext" (WeChat Cloud) or "session" (SCF function URLs)', { kind: 'IDENTITY_MODE' });
  const appid = match(env, 'WX_APPID', /^wx[0-9A-Za-z]{8,32}$/, 'must be a mini-program AppID (wx followed by letters/digits)', 'appid');
  const secretText = required(env, 'SESSION_TOKEN_SECRET');
  if (Buffer.byteLength(secretText, 'utf8') < 32) {
    throw new ConfigError('SESSION_TOKEN_SECRET', `must be at least 32 bytes (got ${Buffer.byteLength(secretText, 'utf8')}); e.g. openssl rand -base64 48`, { kind: 'BYTES_MIN', bytes: 32, got: Buffer.byteLength(secretText, 'utf8') });
  }
  const ttlSeconds = readIntSetting(env, 'SESSION_TTL_SECONDS');
  return {
    mode,
    session: {
      appid,
      secret: Buffer.from(secretText, 'utf8'),
      ttlSeconds,
      ...(present(env, 'WX_APP_SECRET') ? { appSecret: required(env, 'WX_APP_SECRET') } : {}),
      wxApiBaseUrl: baseUrlFrom(env, 'WX_API_BASE_URL', DEFAULT_WX_API_BASE_URL),
    },
  };
}
