/**
 * One error type for everything WeChat Pay related. `code` is stable: either WeChat's own code from an
 * error response (e.g. `PARAM_ERROR`, `ORDER_NOT_EXIST`) or one of ours from ERROR_CODES. Callers branch
 * on `code`, never on `message`. Nothing secret is ever put in `message` or `detail`.
 */
export const ERROR_CODES = {
  /** A required argument is missing or of the wrong type (programming error on our side). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** A body was passed as a parsed object: signatures are over raw bytes, pass the string/Buffer. */
  BODY_NOT_RAW: 'BODY_NOT_RAW',
  /** One of the Wechatpay-* headers (or the Authorization header) is absent. */
  SIGNATURE_MISSING: 'SIGNATURE_MISSING',
  /** The signature does not verify (includes WECHATPAY/SIGNTEST/ probes). */
  SIGNATURE_INVALID: 'SIGNATURE_INVALID',
  /** |now - timestamp| >= maxSkewSeconds. */
  TIMESTAMP_SKEW: 'TIMESTAMP_SKEW',
  /** Wechatpay-Serial names no configured key / certificate. */
  UNKNOWN_SERIAL: 'UNKNOWN_SERIAL',
  /** Unsupported signature type or resource algorithm. */
  UNSUPPORTED_ALGORITHM: 'UNSUPPORTED_ALGORITHM',
  /** The APIv3 key is not exactly 32 bytes. */
  APIV3_KEY_INVALID: 'APIV3_KEY_INVALID',
  /** A key (PEM/certificate) could not be parsed. */
  KEY_INVALID: 'KEY_INVALID',
  /** AEAD_AES_256_GCM authentication failed: wrong key, nonce, AAD, or tampered ciphertext. */
  DECRYPT_FAILED: 'DECRYPT_FAILED',
  /** Body or decrypted resource is not the JSON we expect. */
  MALFORMED_MESSAGE: 'MALFORMED_MESSAGE',
  /** The Authorization header is not WECHATPAY2-SHA256-RSA2048 with the five fields. */
  AUTHORIZATION_INVALID: 'AUTHORIZATION_INVALID',
  /** The HTTP call did not complete within the timeout. */
  TIMEOUT: 'TIMEOUT',
  /** Connection-level failure (refused, reset, DNS...). */
  NETWORK_ERROR: 'NETWORK_ERROR',
  /** A non-2xx response without a WeChat error envelope. */
  HTTP_ERROR: 'HTTP_ERROR',
  /**
   * Our side failed: a message names a serial we do not know and the platform certificates could
   * not be downloaded (just now or a moment ago), so a new certificate cannot be told from a forged
   * serial. Not a rejection: the sender should retry (a notification is answered 500).
   */
  CERTIFICATES_UNAVAILABLE: 'CERTIFICATES_UNAVAILABLE',
} as const;

export type WxPayErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export interface WxPayErrorOptions {
  httpStatus?: number;
  /** Response detail or context (never secrets). */
  detail?: unknown;
  cause?: unknown;
}

export class WxPayError extends Error {
  override readonly name = 'WxPayError';
  /** Stable code: one of ERROR_CODES or WeChat's own error code. */
  readonly code: string;
  readonly httpStatus?: number;
  readonly detail?: unknown;

  constructor(code: string, message: string, options: WxPayErrorOptions = {}) {
    super(message);
    this.code = code;
    if (options.httpStatus !== undefined) this.httpStatus = options.httpStatus;
    if (options.detail !== undefined) this.detail = options.detail;
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

export function isWxPayError(err: unknown, code?: string): err is WxPayError {
  return err instanceof WxPayError && (code === undefined || err.code === code);
}

/**
 * WeChat's codes for a request refused for good: sending the same bytes again can never succeed
 * (notes/wechatpay-v3.md "Errors"). A caller must not be told "try again" for these.
 */
export const PERMANENT_REFUSAL_CODES: ReadonlySet<string> = new Set([
  'PARAM_ERROR', 'INVALID_REQUEST', 'APPID_MCHID_NOT_MATCH', 'MCH_NOT_EXISTS', 'NO_AUTH', 'RULE_LIMIT', 'OUT_TRADE_NO_USED',
]);

/**
 * A refusal by WeChat Pay that retrying the same request cannot heal: a named permanent code, or any
 * other 4xx except 429 (FREQUENCY_LIMITED asks for later). Timeouts, network failures, 5xx and our
 * own verification errors are not refusals: the request may not have been processed.
 */
export function isPermanentRefusal(err: unknown): err is WxPayError {
  if (!(err instanceof WxPayError)) return false;
  if (PERMANENT_REFUSAL_CODES.has(err.code)) return true;
  const status = err.httpStatus ?? 0;
  return status >= 400 && status < 500 && status !== 429 && err.code !== 'FREQUENCY_LIMITED';
}
