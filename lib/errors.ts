/**
 * Errors our functions return to a client. `code` is stable (clients and tests branch on it);
 * `message` says what to do. Nothing else ever leaves a function: no stack, no secret.
 */
export const APP_ERROR_CODES = {
  INVALID_INPUT: 'INVALID_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  PRODUCT_NOT_FOUND: 'PRODUCT_NOT_FOUND',
  ORDER_NOT_FOUND: 'ORDER_NOT_FOUND',
  ORDER_NOT_PAYABLE: 'ORDER_NOT_PAYABLE',
  PAYMENT_PROVIDER_UNAVAILABLE: 'PAYMENT_PROVIDER_UNAVAILABLE',
  FORBIDDEN: 'FORBIDDEN',
  REFUND_NOT_ALLOWED: 'REFUND_NOT_ALLOWED',
  INTERNAL: 'INTERNAL',
} as const;

export type AppErrorCode = (typeof APP_ERROR_CODES)[keyof typeof APP_ERROR_CODES];

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly retryable: boolean;

  constructor(code: AppErrorCode, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

export interface ClientError {
  error: { code: AppErrorCode; message: string; retryable: boolean };
}

/** The only shape an error takes on its way to a client. Unknown errors become INTERNAL. */
export function toClientError(err: unknown): ClientError {
  if (err instanceof AppError) {
    return { error: { code: err.code, message: err.message, retryable: err.retryable } };
  }
  return {
    error: {
      code: APP_ERROR_CODES.INTERNAL,
      message: 'Something went wrong on our side. Please try again in a moment.',
      retryable: true,
    },
  };
}

export function invalidInput(message: string): AppError {
  return new AppError(APP_ERROR_CODES.INVALID_INPUT, message);
}
