// Errors the pages can show. Every failure of a call becomes an ApiError with a stable code;
// `plainWords` turns a code into a sentence a customer understands (never a stack or a raw errMsg).

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

const WORDS: Record<string, string> = {
  NETWORK: 'Network problem. Please check your connection and try again.',
  BAD_RESPONSE: 'Something went wrong on our side. Please try again.',
  INVALID_INPUT: 'Something in your order is not right. Please check it and try again.',
  PRODUCT_NOT_FOUND: 'An item in your order is no longer available.',
  ORDER_NOT_FOUND: 'We could not find that order.',
  ORDER_NOT_PAYABLE: 'This order can no longer be paid.',
  PAYMENT_PROVIDER_UNAVAILABLE: 'Payment is temporarily unavailable. Please try again in a moment.',
  // Login failed or the session could not be renewed (http transport): reopening logs in afresh.
  UNAUTHENTICATED: 'We could not sign you in. Please close and reopen the mini-program, then try again.',
  FORBIDDEN: 'Your account is not allowed to do this.',
  INTERNAL: 'Something went wrong on our side. Please try again.',
};

export function plainWords(error: unknown): string {
  const code = error instanceof ApiError ? error.code : 'INTERNAL';
  return WORDS[code] || WORDS.INTERNAL;
}
