/**
 * The WeChat Cloud deploy configuration (deploy.cloud.json): which environment, how to size each
 * function, and the function environment. Same environment rules as deploy:scf (PEM paths read here,
 * `ssm:` references passed through, process env for the known names); nothing here calls an API.
 *
 * {
 *   "envId": "prod-1a2b3c", "region": "ap-shanghai", "runtime": "Nodejs16.13",
 *   "timeout": 20, "memorySize": 256,
 *   "functions": { "queryOrder": { "timeout": 30 } },
 *   "environment": { "WX_APPID": "wx…", "WXPAY_PRIVATE_KEY": "./secrets/apiclient_key.pem", … },
 *   "passEnv": []
 * }
 */
import { collectEnvironment, readConfigFile } from '../config';
import { DeployError } from '../errors';

/** The runtimes the bundles can run on: they are built for node16 (scripts/build/functions.ts). */
export const CLOUD_RUNTIMES = ['Nodejs16.13', 'Nodejs18.15'] as const;
export const DEFAULT_RUNTIME = 'Nodejs16.13';

export interface CloudSizing {
  timeout: number;
  memorySize: number;
}

export interface CloudConfig {
  envId: string;
  region: string;
  runtime: string;
  handler: string;
  defaults: CloudSizing;
  functions: Record<string, Partial<CloudSizing>>;
  environment: Record<string, string>;
  /** The file the configuration came from, for messages. */
  file?: string;
}

export interface CloudConfigSources {
  file?: string;
  env: NodeJS.ProcessEnv;
  flags?: { envId?: string; region?: string };
}

function fail(detail: string): never {
  throw new DeployError('CONFIG_INVALID', 'read deploy config', detail);
}

/** WeChat Cloud (DevTools, tcb) allows 1-60 s; SCF's 900 s is not offered for cloud functions. */
const TIMEOUT = { min: 1, max: 60 };
const MEMORY = [128, 256, 512, 1024, 2048];

function timeoutOf(v: unknown, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < TIMEOUT.min || v > TIMEOUT.max) fail(`${what} must be an integer number of seconds in ${TIMEOUT.min}..${TIMEOUT.max}`);
  return v;
}

function memoryOf(v: unknown, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !MEMORY.includes(v)) fail(`${what} must be one of ${MEMORY.join(', ')} (MB)`);
  return v;
}

export function loadCloudConfig(src: CloudConfigSources): CloudConfig {
  const { raw, baseDir } = readConfigFile(src.file);
  const envId = src.flags?.envId ?? (raw.envId as string | undefined) ?? src.env.CLOUDBASE_ENV_ID;
  if (!envId) fail('no environment id: pass --env-id, set "envId" in the config file, or set CLOUDBASE_ENV_ID (云开发控制台 → 环境 ID)');
  if (typeof envId !== 'string' || !/^[a-z0-9][a-z0-9-]{2,63}$/.test(envId)) fail(`environment id ${JSON.stringify(envId)} is not a CloudBase env id (lower-case letters, digits and -)`);
  const region = src.flags?.region ?? (raw.region as string | undefined) ?? src.env.TENCENTCLOUD_REGION ?? 'ap-shanghai';
  if (!/^[a-z]{2,4}-[a-z0-9-]+$/.test(region)) fail(`region ${JSON.stringify(region)} is malformed (e.g. ap-shanghai)`);
  const runtime = (raw.runtime as string | undefined) ?? DEFAULT_RUNTIME;
  if (!(CLOUD_RUNTIMES as readonly string[]).includes(runtime)) fail(`runtime must be one of ${CLOUD_RUNTIMES.join(', ')}: the bundles are built for node16`);
  const defaults: CloudSizing = {
    timeout: timeoutOf(raw.timeout, 'timeout') ?? 20,
    memorySize: memoryOf(raw.memorySize, 'memorySize') ?? 256,
  };
  const functions: Record<string, Partial<CloudSizing>> = {};
  const rawFunctions = raw.functions ?? {};
  if (typeof rawFunctions !== 'object' || Array.isArray(rawFunctions)) fail('"functions" must be an object keyed by function name');
  for (const [name, f] of Object.entries(rawFunctions as Record<string, Record<string, unknown>>)) {
    const timeout = timeoutOf(f?.timeout, `functions.${name}.timeout`);
    const memorySize = memoryOf(f?.memorySize, `functions.${name}.memorySize`);
    functions[name] = { ...(timeout !== undefined ? { timeout } : {}), ...(memorySize !== undefined ? { memorySize } : {}) };
  }
  return {
    envId,
    region,
    runtime,
    handler: 'index.main',
    defaults,
    functions,
    environment: collectEnvironment(raw, baseDir, src.env),
    ...(src.file ? { file: src.file } : {}),
  };
}
