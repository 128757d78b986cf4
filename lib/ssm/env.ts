/**
 * The functions' view of their environment once `ssm:` references are resolved. Every entry point
 * awaits prepareSecrets() before reading configuration (handler.ts does it for client functions);
 * configuration loaders then read secretEnv() instead of process.env.
 *
 * Without any `ssm:` reference nothing changes: prepareSecrets() is four property reads, no
 * network, and secretEnv() is process.env itself.
 *
 * Credentials come from the runtime role, read at each fetch because the platform renews them:
 * TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY, TENCENTCLOUD_SESSIONTOKEN; region TENCENTCLOUD_REGION.
 * TENCENTCLOUD_SSM_ENDPOINT overrides ssm.tencentcloudapi.com; SECRETS_CACHE_TTL_SECONDS (default 600).
 */
import { ConfigError } from '../config';
import { consoleLogger, type Logger } from '../log';
import { findSecretReferences, hasSecretReferences, SECRET_ERROR_REASONS, SecretReferenceError } from './reference';
import { createSecretResolver, type SecretResolver } from './resolver';
import { readIntSetting } from '../settings';
import { getSecretValue, parseSsmEndpoint, SSM_CURRENT_VERSION, type SecretValue } from './client';

type Env = Record<string, string | undefined>;

export function secretsTtlMs(env: Env): number {
  return readIntSetting(env, 'SECRETS_CACHE_TTL_SECONDS') * 1000;
}

/** GetSecretValue with the credentials, region and endpoint found in `env` at call time. */
export function ssmFetcherFrom(env: Env, now: () => number = Date.now) {
  return async (secretName: string, versionId: string | undefined): Promise<SecretValue> => {
    const secretId = env.TENCENTCLOUD_SECRETID;
    const secretKey = env.TENCENTCLOUD_SECRETKEY;
    const region = env.TENCENTCLOUD_REGION;
    const variable = findSecretReferences(env).find((r) => r.secretName === secretName)?.variable ?? 'TENCENTCLOUD_SECRETID';
    if (!secretId || !secretKey || !region) {
      throw new SecretReferenceError(variable, secretName, SECRET_ERROR_REASONS.CREDENTIALS_MISSING,
        `references SSM secret "${secretName}", but TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY and TENCENTCLOUD_REGION are not all set: bind an execution role with ssm:GetSecretValue to the function`);
    }
    let endpoint;
    try {
      endpoint = parseSsmEndpoint(env.TENCENTCLOUD_SSM_ENDPOINT);
    } catch (e) {
      throw new ConfigError('TENCENTCLOUD_SSM_ENDPOINT', (e as Error).message);
    }
    const token = env.TENCENTCLOUD_SESSIONTOKEN;
    return getSecretValue({ credentials: { secretId, secretKey, ...(token ? { token } : {}) }, region, endpoint, now }, secretName, versionId ?? SSM_CURRENT_VERSION);
  };
}

export interface SecretEnvOptions {
  env?: Env;
  now?: () => number;
  log?: Logger;
  fetchSecret?: (secretName: string, versionId: string | undefined) => Promise<SecretValue>;
}

/** One per function instance (module state); tests build their own with createSecretEnv. */
export interface SecretEnv {
  prepare(): Promise<void>;
  /** The environment with references resolved; throws if references exist and prepare() has not run. */
  current(): Env;
  /** Bumped whenever a resolved value changes: caches derived from configuration compare it. */
  generation(): number;
}

export function createSecretEnv(options: SecretEnvOptions = {}): SecretEnv {
  const env = options.env ?? process.env;
  let resolver: SecretResolver | undefined;
  let resolved: Env | undefined;
  let generation = 0;
  return {
    async prepare() {
      if (!hasSecretReferences(env)) {
        resolved = undefined;
        return;
      }
      resolver ??= createSecretResolver({
        // Signatures use the wall clock (the API checks it); the injected clock only drives the cache.
        fetchSecret: options.fetchSecret ?? ssmFetcherFrom(env),
        ttlMs: secretsTtlMs(env),
        now: options.now,
        log: options.log ?? consoleLogger,
      });
      const r = await resolver.resolve(env);
      if (r.changed) generation++;
      resolved = r.env;
    },
    current() {
      if (resolved) return resolved;
      const pending = hasSecretReferences(env) ? findSecretReferences(env)[0] : undefined;
      if (pending) {
        // A programming error (an entry point that skipped prepareSecrets), not a deployment one.
        throw new SecretReferenceError(pending.variable, pending.secretName, SECRET_ERROR_REASONS.NOT_RESOLVED,
          'holds an ssm: reference that was not resolved before use (the entry point must await prepareSecrets())');
      }
      return env;
    },
    generation: () => generation,
  };
}

const instance = createSecretEnv();
/** Resolve this instance's `ssm:` references (cached, TTL); a no-op without any. */
export const prepareSecrets = (): Promise<void> => instance.prepare();
export const secretEnv = (): Env => instance.current();
export const secretsGeneration = (): number => instance.generation();
