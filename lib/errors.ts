/**
 * Errors our functions return to a client. `code` is stable (clients and tests branch on it; the
 * codes, their HTTP statuses and retryability are the contract's, lib/contract/errors.ts);
 * `message` says what to do. Nothing else ever leaves a function: no stack, no secret.
 */
import { APP_ERROR_CODES, APP_ERRORS, type AppErrorCode } from './contract/errors';

export { APP_ERROR_CODES, type AppErrorCode };

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly retryable: boolean;
  /** WeChat's errcode behind a platform refusal (SHIPPING_REFUSED), so staff and logs can look it up. */
  readonly wxErrcode?: number;

  constructor(code: AppErrorCode, message: string, options: { retryable?: boolean; cause?: unknown; wxErrcode?: number } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? APP_ERRORS[code].retryable;
    if (options.wxErrcode !== undefined) this.wxErrcode = options.wxErrcode;
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

export interface ClientError {
  error: { code: AppErrorCode; message: string; retryable: boolean; wxErrcode?: number };
}

/** The only shape an error takes on its way to a client. Unknown errors become INTERNAL. */
export function toClientError(err: unknown): ClientError {
  if (err instanceof AppError) {
    return { error: { code: err.code, message: err.message, retryable: err.retryable, ...(err.wxErrcode !== undefined ? { wxErrcode: err.wxErrcode } : {}) } };
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
