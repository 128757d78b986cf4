/**
 * The error codes a function answers with (`{error: {code, message, retryable}}`), each with the
 * HTTP status it travels under on an HTTP transport and whether sending the same call again can
 * help. Clients and tests branch on the code; the message is for people.
 */
export const APP_ERROR_CODES = {
  INVALID_INPUT: 'INVALID_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  PRODUCT_NOT_FOUND: 'PRODUCT_NOT_FOUND',
  ORDER_NOT_FOUND: 'ORDER_NOT_FOUND',
  ORDER_NOT_PAYABLE: 'ORDER_NOT_PAYABLE',
  PAYMENT_PROVIDER_UNAVAILABLE: 'PAYMENT_PROVIDER_UNAVAILABLE',
  /** WeChat Pay refused the payment for good (PARAM_ERROR, NO_AUTH, RULE_LIMIT…): trying again cannot help. */
  PAYMENT_REJECTED: 'PAYMENT_REJECTED',
  /** A clientOrderKey already used by this user for a different basket (Stripe's idempotency-key rule). */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  FORBIDDEN: 'FORBIDDEN',
  REFUND_NOT_ALLOWED: 'REFUND_NOT_ALLOWED',
  /** A shipment the platform's rules (or the platform itself) refuse; the answer carries WeChat's errcode (wxErrcode). */
  SHIPPING_REFUSED: 'SHIPPING_REFUSED',
  /** The mini-program platform did not answer or asked us to wait. */
  PLATFORM_UNAVAILABLE: 'PLATFORM_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;

export type AppErrorCode = (typeof APP_ERROR_CODES)[keyof typeof APP_ERROR_CODES];

export interface AppErrorKind {
  httpStatus: number;
  /** The default: whether the same call, sent again later, can succeed. */
  retryable: boolean;
}

export const APP_ERRORS: Record<AppErrorCode, AppErrorKind> = {
  INVALID_INPUT: { httpStatus: 400, retryable: false },
  UNAUTHENTICATED: { httpStatus: 401, retryable: false },
  FORBIDDEN: { httpStatus: 403, retryable: false },
  PRODUCT_NOT_FOUND: { httpStatus: 404, retryable: false },
  ORDER_NOT_FOUND: { httpStatus: 404, retryable: false },
  ORDER_NOT_PAYABLE: { httpStatus: 409, retryable: false },
  REFUND_NOT_ALLOWED: { httpStatus: 409, retryable: false },
  SHIPPING_REFUSED: { httpStatus: 409, retryable: false },
  PLATFORM_UNAVAILABLE: { httpStatus: 503, retryable: true },
  PAYMENT_PROVIDER_UNAVAILABLE: { httpStatus: 503, retryable: true },
  PAYMENT_REJECTED: { httpStatus: 422, retryable: false },
  IDEMPOTENCY_KEY_REUSED: { httpStatus: 409, retryable: false },
  INTERNAL: { httpStatus: 500, retryable: true },
};

/** The HTTP status of a known code; undefined for any other string (the caller picks its fallback). */
export function httpStatusOf(code: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(APP_ERRORS, code) ? APP_ERRORS[code as AppErrorCode].httpStatus : undefined;
}
