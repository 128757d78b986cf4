/**
 * The error every configuration reader throws: the variable's name first, then what is wrong and
 * what to set, never the value of a secret. Its own module so lib/settings.ts and lib/config.ts
 * can both throw it without importing each other.
 */
import type { ConfigVariable } from './config';

/** What was wrong, as data, for the tools that word it in another language (npm run doctor). */
export type ConfigProblem =
  | { kind: 'INT_RANGE'; min: number; max: number; unit?: string }
  | { kind: 'OPENID_LIST'; length: number }
  | { kind: 'NOT_SET' }
  | { kind: 'FORMAT'; expected: ConfigFormat }
  | { kind: 'BYTES_EXACT'; bytes: number; got: number }
  | { kind: 'BYTES_MIN'; bytes: number; got: number }
  | { kind: 'REQUIRED_WITH'; other: string }
  | { kind: 'CERTIFICATES_FLAG' }
  | { kind: 'NO_VERIFIER' }
  | { kind: 'FILE_NOT_PEM'; path: string }
  | { kind: 'NOT_PEM' }
  | { kind: 'KEY_UNPARSABLE'; key: 'private' | 'public' }
  | { kind: 'KEY_NOT_RSA'; type: string }
  | { kind: 'KEY_TOO_SHORT'; bits: number }
  | { kind: 'NOT_URL' }
  | { kind: 'NOTIFY_NOT_HTTPS' }
  | { kind: 'BASE_NOT_HTTPS' }
  | { kind: 'URL_QUERY' }
  | { kind: 'IDENTITY_MODE' };

/** What a value that failed its pattern should have been. */
export type ConfigFormat = 'appid' | 'mchid' | 'serial' | 'publicKeyId';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  constructor(readonly variable: ConfigVariable, problem: string, readonly problemData?: ConfigProblem) {
    super(`${variable} ${problem}`);
  }
}
