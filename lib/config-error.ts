/**
 * The error every configuration reader throws: the variable's name first, then what is wrong and
 * what to set, never the value of a secret. Its own module so lib/settings.ts and lib/config.ts
 * can both throw it without importing each other.
 */
import type { ConfigVariable } from './config';

/** What was wrong, as data, for the tools that word it in another language (npm run doctor). */
export type ConfigProblem =
  | { kind: 'INT_RANGE'; min: number; max: number; unit?: string }
  | { kind: 'OPENID_LIST'; length: number };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  constructor(readonly variable: ConfigVariable, problem: string, readonly problemData?: ConfigProblem) {
    super(`${variable} ${problem}`);
  }
}
