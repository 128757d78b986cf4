// Errors the pages can show. Every failure of a call becomes an ApiError with a stable code;
// `plainWords` turns a code into a sentence a customer understands (never a stack or a raw errMsg);
// the sentences are the message table's (miniprogram/i18n), keyed error.<CODE>.
import { messages, ShopKey, t } from '../i18n';

export class ApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/** Codes produced on the client side (the functions' codes are lib/contract/errors.ts's). */
export const CLIENT_CODES = {
  NETWORK: 'NETWORK',
  BAD_RESPONSE: 'BAD_RESPONSE',
} as const;

/** A code → the customer's sentence from the message table (error.<CODE>); unknown codes read as INTERNAL. */
export function plainWords(error: unknown): string {
  const code = error instanceof ApiError ? error.code : 'INTERNAL';
  const key = `error.${code}` as ShopKey;
  return key in messages ? t(key) : t('error.INTERNAL');
}
