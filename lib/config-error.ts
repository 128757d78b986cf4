/**
 * The error every configuration reader throws: the variable's name first, then what is wrong and
 * what to set, never the value of a secret. Its own module so lib/settings.ts and lib/config.ts
 * can both throw it without importing each other.
 */
import type { ConfigVariable } from './config';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  constructor(readonly variable: ConfigVariable, problem: string) {
    super(`${variable} ${problem}`);
  }
}
