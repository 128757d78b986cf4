/** One error type for the deploy and doctor scripts: a stable code, the step that failed, the cause. */
export const DEPLOY_ERROR_CODES = {
  BUNDLE_MISSING: 'BUNDLE_MISSING',
  BUNDLE_INVALID: 'BUNDLE_INVALID',
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** The doctor found errors in the configuration: the deploy refuses before calling any API. */
  CONFIG_REJECTED: 'CONFIG_REJECTED',
  CREDENTIALS_MISSING: 'CREDENTIALS_MISSING',
  API_ERROR: 'API_ERROR',
  WAIT_TIMEOUT: 'WAIT_TIMEOUT',
  FUNCTION_FAILED: 'FUNCTION_FAILED',
} as const;
export type DeployErrorCode = keyof typeof DEPLOY_ERROR_CODES;

export class DeployError extends Error {
  constructor(
    readonly code: DeployErrorCode,
    /** What was being done, e.g. `UpdateFunctionCode createOrder`. */
    readonly step: string,
    detail: string,
    /** The Tencent Cloud error code (e.g. `ResourceNotFound.Function`), when the API answered one. */
    readonly apiCode?: string,
    readonly requestId?: string,
  ) {
    super(`${step}: ${apiCode ? `${apiCode}: ` : ''}${detail}${requestId ? ` (RequestId ${requestId})` : ''}`);
    this.name = 'DeployError';
  }
}
