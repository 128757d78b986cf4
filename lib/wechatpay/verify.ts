/**
 * Verification of WeChat's signatures (responses, notifications) and, for the simulator, of a merchant's
 * Authorization header. Fixed check order: headers present → clock skew → known serial → signature.
 */
import { KeyObject, verify as rsaVerify } from 'crypto';
import { ERROR_CODES, WxPayError } from './errors';
import { getHeader, HeadersInput } from './headers';
import { listSerials, lookupKey, PublicKeys } from './keyring/keyring';
import { PublicKeyInput, toPublicKey } from './keys';
import { assertRawBody, buildRequestMessage, buildResponseMessage, RawBody } from './message';
import { AUTH_SCHEMA } from './sign';
import { Now, nowMs } from './time';

export const DEFAULT_MAX_SKEW_SECONDS = 300;
/** WeChat sends probes signed with this prefix; they must fail verification. */
export const SIGNTEST_PREFIX = 'WECHATPAY/SIGNTEST/';

/** RSA-2048: every WeChat Pay signature (platform certificate or public key) is exactly this long. */
export const WECHATPAY_SIGNATURE_BYTES = 256;

export function verifySha256Rsa(message: string | Buffer, signatureBase64: string, publicKey: PublicKeyInput | KeyObject): boolean {
  const key = toPublicKey(publicKey);
  return verifyWithKey(message, decodeSignature(signatureBase64, modulusBytes(key)), key);
}

function modulusBytes(key: KeyObject): number | undefined {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  return bits === undefined ? undefined : Math.ceil(bits / 8);
}

/**
 * Canonical base64 of exactly `bytes` bytes, or undefined. Node's decoder skips anything that is not
 * base64 (`<sig>,junk` — what a duplicated header becomes — and `<sig>!!junk` decode to the genuine
 * bytes), so the text must re-encode to itself: one spelling per signature, nothing appended.
 */
export function decodeSignature(signatureBase64: string, bytes: number | undefined): Buffer | undefined {
  if (typeof signatureBase64 !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(signatureBase64)) return undefined;
  const decoded = Buffer.from(signatureBase64, 'base64');
  if (decoded.toString('base64') !== signatureBase64) return undefined;
  if (bytes !== undefined && decoded.length !== bytes) return undefined;
  return decoded;
}

function verifyWithKey(message: string | Buffer, signature: Buffer | undefined, key: KeyObject): boolean {
  if (!signature) return false;
  const data = typeof message === 'string' ? Buffer.from(message) : message;
  try {
    return rsaVerify('sha256', data, key, signature);
  } catch {
    return false; // malformed signature bytes are just a bad signature
  }
}

export interface VerifyOptions {
  publicKeys: PublicKeys;
  /** ms epoch or Date; default the real clock. */
  now?: Now;
  /** Default 300. Must be finite and > 0: the check can be tuned, never turned off. */
  maxSkewSeconds?: number;
}

export interface VerifiedSignature {
  serial: string;
  timestamp: number;
  nonce: string;
}

/** Verify the Wechatpay-* headers over the raw body; throws WxPayError, returns what was verified. */
export function verifyWechatpaySignature(message: { headers: HeadersInput; body: RawBody }, opts: VerifyOptions): VerifiedSignature {
  const body = assertRawBody(message.body, 'body');
  const maxSkew = checkedMaxSkew(opts.maxSkewSeconds);
  const headers = message.headers;
  const timestamp = requireHeader(headers, 'Wechatpay-Timestamp', 'wechatpay-timestamp');
  const nonce = requireHeader(headers, 'Wechatpay-Nonce', 'wechatpay-nonce');
  const signature = requireHeader(headers, 'Wechatpay-Signature', 'wechatpay-signature');
  const serial = requireHeader(headers, 'Wechatpay-Serial', 'wechatpay-serial');
  // Wechatpay-Signature-Type is checked when present; official SDKs do not require it on responses.
  const type = getHeader(headers, 'Wechatpay-Signature-Type', 'wechatpay-signature-type');
  if (type !== undefined && type !== AUTH_SCHEMA) {
    throw new WxPayError(ERROR_CODES.UNSUPPORTED_ALGORITHM, `unsupported Wechatpay-Signature-Type ${type}`);
  }
  const seconds = checkSkew(timestamp, 'Wechatpay-Timestamp', opts.now, maxSkew);
  const key = lookupKey(opts.publicKeys, serial);
  if (!key) {
    throw new WxPayError(
      ERROR_CODES.UNKNOWN_SERIAL,
      `Wechatpay-Serial ${serial} is not a configured key (known: ${listSerials(opts.publicKeys).join(', ') || 'none'}); ` +
        'set WXPAY_PUBLIC_KEY_ID/WXPAY_PUBLIC_KEY or refresh the platform certificates',
      { detail: { serial } },
    );
  }
  if (signature.startsWith(SIGNTEST_PREFIX)) {
    throw new WxPayError(ERROR_CODES.SIGNATURE_INVALID, 'signature probe (WECHATPAY/SIGNTEST/) rejected as WeChat expects', {
      detail: { serial, probe: true },
    });
  }
  const signatureBytes = decodeSignature(signature, WECHATPAY_SIGNATURE_BYTES);
  if (!signatureBytes) {
    throw new WxPayError(
      ERROR_CODES.SIGNATURE_INVALID,
      `Wechatpay-Signature is not canonical base64 of exactly ${WECHATPAY_SIGNATURE_BYTES} bytes (a duplicated or altered header); the message is refused`,
      { detail: { serial } },
    );
  }
  if (!verifyWithKey(buildResponseMessage(timestamp, nonce, body), signatureBytes, key)) {
    throw new WxPayError(
      ERROR_CODES.SIGNATURE_INVALID,
      'Wechatpay-Signature does not verify; the body must be the raw bytes as received (not re-serialised JSON)',
      { detail: { serial } },
    );
  }
  return { serial, timestamp: seconds, nonce };
}

export interface AuthorizationFields {
  mchid: string;
  nonce_str: string;
  timestamp: string;
  serial_no: string;
  signature: string;
}

const AUTH_FIELDS = ['mchid', 'nonce_str', 'timestamp', 'serial_no', 'signature'] as const;
const AUTH_PARAMS = /^\s*[a-z_]+="[^"]*"(\s*,\s*[a-z_]+="[^"]*")*\s*$/;

/** Parse `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",…` (field order free). */
export function parseAuthorization(header: string | undefined | null): AuthorizationFields {
  if (typeof header !== 'string' || header.length === 0) {
    throw new WxPayError(ERROR_CODES.SIGNATURE_MISSING, 'Authorization header is missing');
  }
  const space = header.indexOf(' ');
  const schema = space < 0 ? header : header.slice(0, space);
  if (schema !== AUTH_SCHEMA) {
    throw new WxPayError(ERROR_CODES.AUTHORIZATION_INVALID, `Authorization schema must be ${AUTH_SCHEMA}`);
  }
  const rest = header.slice(space + 1);
  if (space < 0 || !AUTH_PARAMS.test(rest)) {
    throw new WxPayError(ERROR_CODES.AUTHORIZATION_INVALID, 'Authorization fields must be key="value" pairs separated by commas');
  }
  const fields: Partial<Record<string, string>> = {};
  for (const m of rest.matchAll(/([a-z_]+)="([^"]*)"/g)) fields[m[1]] = m[2];
  for (const name of AUTH_FIELDS) {
    if (!fields[name]) throw new WxPayError(ERROR_CODES.AUTHORIZATION_INVALID, `Authorization is missing ${name}`);
  }
  return fields as unknown as AuthorizationFields;
}

export interface VerifyRequestOptions {
  method: string;
  /** Path+query as received (or an absolute URL). */
  url: string;
  body?: RawBody;
  authorization: string | undefined | null;
  /** Merchant public key (or certificate) for the serial_no. */
  publicKey: PublicKeyInput;
  /** When given, the header's mchid must equal it. */
  mchid?: string;
  now?: Now;
  maxSkewSeconds?: number;
}

/** The simulator's side of buildAuthorization: parse, check mchid and clock, verify the signature. */
export function verifyRequestSignature(opts: VerifyRequestOptions): AuthorizationFields {
  const maxSkew = checkedMaxSkew(opts.maxSkewSeconds);
  const auth = parseAuthorization(opts.authorization);
  if (opts.mchid !== undefined && auth.mchid !== opts.mchid) {
    throw new WxPayError(ERROR_CODES.SIGNATURE_INVALID, `Authorization mchid ${auth.mchid} does not match ${opts.mchid}`);
  }
  checkSkew(auth.timestamp, 'Authorization timestamp', opts.now, maxSkew);
  const message = buildRequestMessage(opts.method, opts.url, auth.timestamp, auth.nonce_str, assertRawBody(opts.body, 'body'));
  if (!verifySha256Rsa(message, auth.signature, opts.publicKey)) {
    throw new WxPayError(ERROR_CODES.SIGNATURE_INVALID, 'Authorization signature does not verify');
  }
  return auth;
}

function requireHeader(headers: HeadersInput, name: string, lower: string): string {
  const value = getHeader(headers, name, lower);
  if (value === undefined || value === '') {
    throw new WxPayError(ERROR_CODES.SIGNATURE_MISSING, `${name} header is missing: the message is not signed by WeChat Pay`, {
      detail: { header: name },
    });
  }
  return value;
}

export function checkedMaxSkew(maxSkewSeconds: number | undefined): number {
  const value = maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new WxPayError(ERROR_CODES.INVALID_ARGUMENT, 'maxSkewSeconds must be a finite number > 0 (the skew check cannot be disabled)');
  }
  return value;
}

function checkSkew(timestamp: string, what: string, now: Now | undefined, maxSkew: number): number {
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new WxPayError(ERROR_CODES.SIGNATURE_INVALID, `${what} must be integer seconds`);
  }
  const seconds = Number(timestamp);
  const skew = nowMs(now) / 1000 - seconds;
  if (Math.abs(skew) >= maxSkew) {
    throw new WxPayError(ERROR_CODES.TIMESTAMP_SKEW, `${what} is ${Math.round(skew)} s away from now (limit ${maxSkew} s)`, {
      detail: { timestamp: seconds, skewSeconds: Math.round(skew) },
    });
  }
  return seconds;
}
