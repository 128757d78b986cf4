/**
 * Resolves `ssm:` references to values, with a per-instance cache:
 * - a value is fetched once, then served from memory for `ttlMs` (so a rotated secret is picked
 *   up within the TTL without a redeploy, and SSM sees one call per secret per instance per TTL);
 * - a refresh that fails keeps serving the cached value (an SSM outage must not take payments
 *   down) and is logged without the value; it is tried again after `retryMs`;
 * - only the very first fetch of a secret can fail an invocation, with a SecretReferenceError
 *   naming the variable and the secret.
 * Several variables naming the same secret and version share one call. The clock is a parameter.
 */
import { ConfigError } from '../config';
import type { Logger } from '../log';
import { SETTINGS } from '../settings';
import {
  describeReference,
  findSecretReferences,
  SECRET_ERROR_REASONS,
  SecretReferenceError,
  type SecretErrorReason,
  type SecretReference,
} from './reference';
import { SsmError, type SecretValue } from './client';

type Env = Record<string, string | undefined>;

export const DEFAULT_SECRETS_TTL_MS = SETTINGS.SECRETS_CACHE_TTL_SECONDS.default * 1000;

export interface SecretResolverOptions {
  /** GetSecretValue; versionId undefined = the version in use. */
  fetchSecret(secretName: string, versionId: string | undefined): Promise<SecretValue>;
  /** How long a fetched value is served before it is fetched again. */
  ttlMs?: number;
  /** After a failed refresh, how long the cached value is served before the next try (default min(ttl, 60 s)). */
  retryMs?: number;
  /** ms since the epoch. */
  now?: () => number;
  log?: Logger;
}

export interface Resolution {
  /** env with every reference replaced by its value (a new object; env itself is not modified). */
  env: Env;
  /** Some value differs from the previous resolution: derived state (parsed keys, clients) must be rebuilt. */
  changed: boolean;
}

export interface SecretResolver {
  resolve(env: Env): Promise<Resolution>;
}

interface Entry {
  value: string;
  /** When the cached value should be fetched again. */
  refreshAt: number;
}

export function createSecretResolver(opts: SecretResolverOptions): SecretResolver {
  const ttlMs = opts.ttlMs ?? DEFAULT_SECRETS_TTL_MS;
  const retryMs = opts.retryMs ?? Math.min(ttlMs, 60_000);
  const now = opts.now ?? Date.now;
  const cache = new Map<string, Entry>();
  const inflight = new Map<string, Promise<string>>();
  let previous = new Map<string, string>();

  /** The raw secret for a name/version, from the cache while fresh, else from SSM. */
  async function secret(ref: SecretReference): Promise<string> {
    const key = `${ref.secretName}@${ref.versionId ?? ''}`;
    const entry = cache.get(key);
    if (entry && now() < entry.refreshAt) return entry.value;
    let pending = inflight.get(key);
    if (!pending) {
      pending = (async () => {
        try {
          const { value } = await opts.fetchSecret(ref.secretName, ref.versionId);
          cache.set(key, { value, refreshAt: now() + ttlMs });
          opts.log?.('secrets.fetched', { variable: ref.variable, secret: ref.secretName, version: ref.versionId ?? 'current' });
          return value;
        } catch (err) {
          if (!entry) throw referenceError(ref, err);
          // Stale beats down: keep serving what we had, say so (no value), try again later.
          entry.refreshAt = now() + retryMs;
          const e = err as Partial<SsmError>;
          opts.log?.('secrets.refresh_failed', { variable: ref.variable, secret: ref.secretName, kind: e.kind ?? 'UNAVAILABLE', apiCode: e.apiCode ?? null });
          return entry.value;
        } finally {
          inflight.delete(key);
        }
      })();
      inflight.set(key, pending);
    }
    return pending;
  }

  return {
    async resolve(env) {
      const refs = findSecretReferences(env);
      if (refs.length === 0) return { env, changed: false };
      const values = await Promise.all(refs.map(async (ref) => [ref, field(ref, await secret(ref))] as const));
      const resolved: Env = { ...env };
      const current = new Map<string, string>();
      for (const [ref, value] of values) {
        resolved[ref.variable] = value;
        current.set(ref.variable, value);
      }
      const changed = current.size !== previous.size || [...current].some(([k, v]) => previous.get(k) !== v);
      previous = current;
      return { env: resolved, changed };
    },
  };
}

/** The whole secret, or one field of a JSON secret. */
function field(ref: SecretReference, raw: string): string {
  if (!ref.jsonKey) return raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const value = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>)[ref.jsonKey] : undefined;
  if (typeof value !== 'string' || value === '') {
    throw new SecretReferenceError(ref.variable, ref.secretName, SECRET_ERROR_REASONS.JSON_KEY_MISSING,
      `references ${describeReference(ref)}, but that secret is not a JSON object with a non-empty string "${ref.jsonKey}"`);
  }
  return value;
}

const ADVICE: Record<string, string> = {
  NOT_FOUND: 'it does not exist in this region (or that version does not): create it or fix the reference',
  DENIED: "access denied: give the function's execution role ssm:GetSecretValue on it (and kms:Decrypt if it uses your own KMS key)",
  UNAVAILABLE: 'SSM could not be reached; the next invocation tries again',
  FAILED: 'SSM refused the request',
};

function referenceError(ref: SecretReference, err: unknown): Error {
  if (err instanceof ConfigError) return err; // e.g. missing credentials: already says what to do
  const kind: SecretErrorReason = err instanceof SsmError ? err.kind : SECRET_ERROR_REASONS.UNAVAILABLE;
  const detail = err instanceof SsmError ? `${err.apiCode ? `${err.apiCode}, ` : ''}${err.requestId ? `RequestId ${err.requestId}` : err.message}` : String((err as Error)?.message ?? err);
  return new SecretReferenceError(ref.variable, ref.secretName, kind, `references ${describeReference(ref)}, which could not be read: ${ADVICE[kind] ?? ADVICE.FAILED} (${detail.slice(0, 200)})`);
}
