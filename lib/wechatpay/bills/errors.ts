/**
 * Stable codes for the bill path (apply → download → parse). They are WxPayError codes like the
 * rest of lib/wechatpay; WeChat's own answers (NO_STATEMENT_EXIST, STATEMENT_CREATING,
 * INVALID_REQUEST for an expired download_url, …) keep WeChat's code.
 */
import { WxPayError } from '../errors';

export const BILL_ERROR_CODES = {
  /** SHA-1 of the decompressed file differs from the apply answer's hash_value: nothing may be committed. */
  BILL_HASH_MISMATCH: 'BILL_HASH_MISMATCH',
  /** The gzip stream ended early or is corrupt (a cut connection, a truncated file): download again. */
  BILL_TRUNCATED: 'BILL_TRUNCATED',
  /** The header line names no layout we know (e.g. a legacy 24-column bill): the parser refuses it. */
  BILL_LAYOUT_UNKNOWN: 'BILL_LAYOUT_UNKNOWN',
  /** A line does not follow the layout (wrong field count, a value not in its format, no summary). */
  BILL_MALFORMED: 'BILL_MALFORMED',
  /** The apply answer is not {hash_type: SHA1, hash_value, download_url} on our API host. */
  BILL_APPLY_INVALID: 'BILL_APPLY_INVALID',
} as const;

/** WeChat's answers to an apply that are states, not failures (see shared notes on bills). */
export const NO_STATEMENT_EXIST = 'NO_STATEMENT_EXIST';
export const STATEMENT_CREATING = 'STATEMENT_CREATING';

export function billError(code: keyof typeof BILL_ERROR_CODES, message: string, detail?: unknown): WxPayError {
  return new WxPayError(BILL_ERROR_CODES[code], message, detail === undefined ? {} : { detail });
}
