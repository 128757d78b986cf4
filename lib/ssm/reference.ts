/**
 * `ssm:` references: a secret-bearing variable may name a Tencent Cloud Secrets Manager secret
 * instead of holding the value, so the value never appears in the function's configuration
 * (console, GetFunction, deploy plans):
 *
 *   ssm:<SecretName>                 the version in use (VersionId SSM_Current)
 *   ssm:<SecretName>@<VersionId>     a pinned version
 *   ssm:<SecretName>[@<VersionId>]#<key>   one field of a JSON secret (the console's key/value form)
 *
 * Only the variables in SECRET_VARIABLES are read this way; a reference anywhere else stays text.
 */
import { ConfigError, type ConfigVariable } from '../config';

export const SECRET_VARIABLES = ['WXPAY_PRIVATE_KEY', 'WXPAY_APIV3_KEY', 'SESSION_TOKEN_SECRET', 'WX_APP_SECRET'] as const;
export type SecretVariable = (typeof SECRET_VARIABLES)[number];

export interface SecretReference {
  variable: SecretVariable;
  secretName: string;
  /** Absent: the version in use. */
  versionId?: string;
  /** A field of a JSON secret. */
  jsonKey?: string;
}

/** Stable reasons, for tests and for operators reading logs. */
export const SECRET_ERROR_REASONS = {
  REFERENCE_INVALID: 'REFERENCE_INVALID',
  CREDENTIALS_MISSING: 'CREDENTIALS_MISSING',
  NOT_FOUND: 'NOT_FOUND',
  DENIED: 'DENIED',
  UNAVAILABLE: 'UNAVAILABLE',
  FAILED: 'FAILED',
  JSON_KEY_MISSING: 'JSON_KEY_MISSING',
  NOT_RESOLVED: 'NOT_RESOLVED',
} as const;
export type SecretErrorReason = (typeof SECRET_ERROR_REASONS)[keyof typeof SECRET_ERROR_REASONS];

/** A ConfigError (code CONFIG_INVALID) that names the variable and the secret; never a value. */
export class SecretReferenceError extends ConfigError {
  constructor(
    variable: ConfigVariable,
    readonly secretName: string,
    readonly reason: SecretErrorReason,
    problem: string,
  ) {
    super(variable, problem);
  }
}

const PREFIX = 'ssm:';
// SSM's own limits: names 1-128 of letters, digits, - _ (we also allow .); versions 1-64 of letters, digits, - _ .
const REFERENCE = /^ssm:([A-Za-z0-9][A-Za-z0-9_.-]{0,127})(?:@([A-Za-z0-9][A-Za-z0-9_.-]{0,63}))?(?:#([A-Za-z0-9_.-]{1,64}))?$/;

export function isReference(value: string | undefined): boolean {
  return typeof value === 'string' && value.trim().startsWith(PREFIX);
}

/** Cheap enough to run on every invocation: four property reads when nothing is referenced. */
export function hasSecretReferences(env: Record<string, string | undefined>): boolean {
  return SECRET_VARIABLES.some((name) => isReference(env[name]));
}

/** Every reference in env, parsed; a malformed one throws naming the variable. */
export function findSecretReferences(env: Record<string, string | undefined>): SecretReference[] {
  const found: SecretReference[] = [];
  for (const variable of SECRET_VARIABLES) {
    const raw = env[variable];
    if (!isReference(raw)) continue;
    const text = (raw as string).trim();
    const m = REFERENCE.exec(text);
    if (!m) {
      // A reference is a name, not a secret: quoting it helps and leaks nothing.
      throw new SecretReferenceError(variable, text.slice(PREFIX.length, PREFIX.length + 140), SECRET_ERROR_REASONS.REFERENCE_INVALID,
        `holds "${text.slice(0, 160)}", which is not an SSM reference: use ssm:<SecretName>, ssm:<SecretName>@<VersionId> or add #<jsonKey>`);
    }
    found.push({ variable, secretName: m[1], ...(m[2] ? { versionId: m[2] } : {}), ...(m[3] ? { jsonKey: m[3] } : {}) });
  }
  return found;
}

export function describeReference(ref: SecretReference): string {
  return `SSM secret "${ref.secretName}"${ref.versionId ? ` version ${ref.versionId}` : ''}${ref.jsonKey ? ` field "${ref.jsonKey}"` : ''}`;
}
