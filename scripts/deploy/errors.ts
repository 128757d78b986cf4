/** One error type for the deploy and doctor scripts: a stable code, the step that failed, the cause. */
import { t } from '../i18n';

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

/** A deploy command's process: its exit code, or a failure printed with its stable code (never a stack) and exit 1. */
export function runDeployCommand(command: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof DeployError) console.error(t('deploy.failedCode', { command, code: e.code, message: e.message }));
      else console.error(t('deploy.failed', { command, message: (e as Error).message }));
      process.exit(1);
    },
  );
}
