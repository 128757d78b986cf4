/**
 * SHA256withRSA (PKCS#1 v1.5) signing: the merchant's Authorization header, and the inverse of
 * response verification (the simulator signs responses/notifications with the same code).
 */
import { sign as rsaSign } from 'crypto';
import { ERROR_CODES, WxPayError } from './errors';
import { PrivateKeyInput, toPrivateKey } from './keys';
import { buildRequestMessage, buildResponseMessage, RawBody } from './message';
import { generateNonce } from './nonce';
import { Now, nowSeconds } from './time';

export { generateNonce };

export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

export function signSha256Rsa(message: string | Buffer, privateKey: PrivateKeyInput): string {
  return rsaSign('sha256', typeof message === 'string' ? Buffer.from(message) : message, toPrivateKey(privateKey)).toString('base64');
}

export interface BuildAuthorizationOptions {
  method: string;
  /** Absolute URL or path+query, exactly as requested. */
  url: string;
  /** Exact body bytes sent; '' or omitted for GET. */
  body?: RawBody;
  mchid: string;
  /** Serial of the MERCHANT API certificate (not the platform certificate). */
  serialNo: string;
  privateKey: PrivateKeyInput;
  /** Seconds. Default: derived from `now`. */
  timestamp?: number | string;
  nonce?: string;
  /** Used only when `timestamp` is omitted. */
  now?: Now;
}

export function buildAuthorization(opts: BuildAuthorizationOptions): string {
  requireString(opts.mchid, 'mchid');
  requireString(opts.serialNo, 'serialNo');
  requireString(opts.method, 'method');
  const timestamp = String(opts.timestamp ?? nowSeconds(opts.now));
  const nonce = opts.nonce ?? generateNonce();
  const message = buildRequestMessage(opts.method, opts.url, timestamp, nonce, opts.body ?? '');
  const signature = signSha256Rsa(message, opts.privateKey);
  return `${AUTH_SCHEMA} mchid="${opts.mchid}",nonce_str="${nonce}",timestamp="${timestamp}",serial_no="${opts.serialNo}",signature="${signature}"`;
}

export interface SignatureHeaderOptions {
  body?: RawBody;
  privateKey: PrivateKeyInput;
  /** Platform certificate serial or PUB_KEY_ID_… that the receiver will look up. */
  serial: string;
  timestamp?: number | string;
  nonce?: string;
  now?: Now;
}

// A type alias (not an interface) so it is assignable to a plain header record.
export type WechatpaySignatureHeaders = {
  'Wechatpay-Timestamp': string;
  'Wechatpay-Nonce': string;
  'Wechatpay-Signature': string;
  'Wechatpay-Serial': string;
  'Wechatpay-Signature-Type': string;
};

/** The five Wechatpay-* headers for a response or notification body (inverse of verification). */
export function buildWechatpaySignatureHeaders(opts: SignatureHeaderOptions): WechatpaySignatureHeaders {
  requireString(opts.serial, 'serial');
  const timestamp = String(opts.timestamp ?? nowSeconds(opts.now));
  const nonce = opts.nonce ?? generateNonce();
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signSha256Rsa(buildResponseMessage(timestamp, nonce, opts.body ?? ''), opts.privateKey),
    'Wechatpay-Serial': opts.serial,
    'Wechatpay-Signature-Type': AUTH_SCHEMA,
  };
}

export function requireString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new WxPayError(ERROR_CODES.INVALID_ARGUMENT, `${name} must be a non-empty string`);
  }
}
