/**
 * The deploy configuration: where to deploy, how to size each function, and the function
 * environment. Read from an optional JSON file plus process env; nothing here talks to the API.
 *
 * File shape (every field optional):
 * {
 *   "region": "ap-guangzhou", "namespace": "default", "runtime": "Nodejs16.13",
 *   "timeout": 20, "memorySize": 256, "functionUrls": true,
 *   "functions": { "payNotify": { "timeout": 10, "memorySize": 128, "functionUrl": true } },
 *   "environment": { "WX_APPID": "wx…", "WXPAY_PRIVATE_KEY": "./secrets/apiclient_key.pem" },
 *   "role": "SCF_WxPaySecretsReader",   (execution role: needed when a value is an ssm: reference)
 *   "passEnv": ["SESSION_SECRET"]
 * }
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { DeployError } from './errors';
import { FUNCTION_SETTINGS, isPersonalSetting } from '../../lib/settings';

/** The names lib/config.ts reads (README "Going live" § 2, Configuration); taken from process env when set. */
export const FUNCTION_ENV_NAMES = [
  'WX_APPID',
  'WXPAY_MCHID',
  'WXPAY_MERCHANT_SERIAL_NO',
  'WXPAY_PRIVATE_KEY',
  'WXPAY_APIV3_KEY',
  'WXPAY_PUBLIC_KEY_ID',
  'WXPAY_PUBLIC_KEY',
  // "true" next to the public key: migration mode (README "Key modes")
  'WXPAY_PLATFORM_CERTIFICATES',
  'WXPAY_NOTIFY_URL',
  'WXPAY_BASE_URL',
  // wx-server-sdk on plain SCF: the CloudBase environment whose database the functions use
  'TCB_ENV',
  // lib/config.ts loadIdentityConfig (SCF function URLs)
  'IDENTITY_MODE',
  'SESSION_TOKEN_SECRET',
  'WX_APP_SECRET',
  'WX_API_BASE_URL',
  // lib/platform: shipping APIs by cloud call or access token; the mp message-push token off-cloud
  'MINI_PLATFORM_TRANSPORT',
  'MSG_PUSH_TOKEN',
  // the tuning settings of lib/settings.ts (orders, refunds, bills, shipping, session and secrets TTLs)
  ...FUNCTION_SETTINGS,
] as const;

/** Values shown in clear in a plan. Everything else is masked: unknown names are assumed secret. */
const NOT_SECRET = new Set([
  'WX_APPID',
  'WXPAY_MCHID',
  'WXPAY_MERCHANT_SERIAL_NO',
  'WXPAY_PUBLIC_KEY_ID',
  'WXPAY_PLATFORM_CERTIFICATES',
  'WXPAY_NOTIFY_URL',
  'WXPAY_BASE_URL',
  'TCB_ENV',
  // tuning knobs, except the staff lists (openids are personal data: masked)
  ...FUNCTION_SETTINGS.filter((name) => !isPersonalSetting(name)),
  'IDENTITY_MODE',
  'WX_API_BASE_URL',
  'MINI_PLATFORM_TRANSPORT',
  'TENCENTCLOUD_SSM_ENDPOINT',
]);
/** Names whose value may be a path to a PEM file on the deploying machine. */
const KEY_NAMES = new Set(['WXPAY_PRIVATE_KEY', 'WXPAY_PUBLIC_KEY']);

export const RUNTIMES = ['Nodejs16.13', 'Nodejs18.15'] as const;

/** What a function is deployed with besides its code, on SCF and WeChat Cloud alike. */
export interface FunctionSettings {
  name: string;
  runtime: string;
  handler: string;
  timeout: number;
  memorySize: number;
  environment: Record<string, string>;
}

export interface FunctionSizing {
  timeout: number;
  memorySize: number;
  functionUrl: boolean;
}

export interface DeployConfig {
  region: string;
  namespace: string;
  runtime: string;
  handler: string;
  defaults: FunctionSizing;
  functions: Record<string, Partial<FunctionSizing>>;
  environment: Record<string, string>;
  /** SCF execution role (CAM role name); SCF then gives the function temporary credentials (lib/ssm uses them). */
  role?: string;
}

export interface ConfigSources {
  /** Path of the JSON file, if any. */
  file?: string;
  env: NodeJS.ProcessEnv;
  /** Flags win over the file, the file over env defaults. */
  flags?: { region?: string; namespace?: string };
}

function fail(detail: string): never {
  throw new DeployError('CONFIG_INVALID', 'read deploy config', detail);
}

function num(v: unknown, what: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(`${what} must be an integer in ${min}..${max}`);
  return v;
}

/** A PEM given as a path is read here: the path means nothing inside the cloud function. */
function resolveKeyValue(name: string, value: string, baseDir: string): string {
  // ssm:<name> is resolved by the function at runtime (lib/ssm), never here.
  if (!KEY_NAMES.has(name) || value.includes('-----BEGIN') || value.startsWith('ssm:')) return value;
  const looksLikePath = /^(\.{0,2}\/|~|[A-Za-z]:\\)/.test(value) || /\.(pem|key|crt)$/i.test(value);
  if (!looksLikePath) return value; // base64 of a PEM: passed through as lib/config accepts it
  const path = isAbsolute(value) ? value : resolve(baseDir, value);
  if (!existsSync(path)) fail(`${name} points to ${path}, which does not exist`);
  return readFileSync(path, 'utf8');
}

/** Reads the optional JSON file; returns its object and the directory relative paths start from. */
export function readConfigFile(file: string | undefined): { raw: Record<string, unknown>; baseDir: string } {
  if (!file) return { raw: {}, baseDir: process.cwd() };
  if (!existsSync(file)) fail(`config file ${file} not found`);
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail(`config file ${file} must hold a JSON object`);
    return { raw: raw as Record<string, unknown>, baseDir: dirname(resolve(file)) };
  } catch (e) {
    if (e instanceof DeployError) throw e;
    fail(`config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The function environment: the file's "environment", then process env for known and passEnv names. */
export function collectEnvironment(raw: Record<string, unknown>, baseDir: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [k, v] of Object.entries((raw.environment as Record<string, unknown>) ?? {})) {
    if (typeof v !== 'string') fail(`environment.${k} must be a string`);
    if (v !== '') environment[k] = resolveKeyValue(k, v, baseDir);
  }
  const passEnv = raw.passEnv ?? [];
  if (!Array.isArray(passEnv) || passEnv.some((n) => typeof n !== 'string')) fail('passEnv must be an array of variable names');
  for (const name of [...FUNCTION_ENV_NAMES, ...(passEnv as string[])]) {
    const v = env[name];
    if (v) environment[name] = resolveKeyValue(name, v, process.cwd());
  }
  for (const k of Object.keys(environment)) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(k)) fail(`environment variable name ${JSON.stringify(k)} is not valid`);
  }
  return environment;
}

export function loadDeployConfig(src: ConfigSources): DeployConfig {
  const { raw, baseDir } = readConfigFile(src.file);
  const region = src.flags?.region ?? (raw.region as string | undefined) ?? src.env.TENCENTCLOUD_REGION;
  if (!region || !/^[a-z]{2,4}-[a-z0-9-]+$/.test(region)) fail('region missing or malformed: pass --region ap-guangzhou or set TENCENTCLOUD_REGION');
  const runtime = (raw.runtime as string | undefined) ?? 'Nodejs16.13';
  if (!(RUNTIMES as readonly string[]).includes(runtime)) fail(`runtime must be one of ${RUNTIMES.join(', ')} (the build targets node16)`);

  const defaults: FunctionSizing = {
    timeout: num(raw.timeout, 'timeout', 1, 900) ?? 20,
    memorySize: num(raw.memorySize, 'memorySize', 64, 3072) ?? 256,
    functionUrl: raw.functionUrls === undefined ? true : raw.functionUrls === true,
  };
  const functions: Record<string, Partial<FunctionSizing>> = {};
  for (const [name, f] of Object.entries((raw.functions as Record<string, Record<string, unknown>>) ?? {})) {
    functions[name] = {
      timeout: num(f.timeout, `functions.${name}.timeout`, 1, 900),
      memorySize: num(f.memorySize, `functions.${name}.memorySize`, 64, 3072),
      functionUrl: typeof f.functionUrl === 'boolean' ? f.functionUrl : undefined,
    };
  }
  const role = raw.role;
  if (role !== undefined && (typeof role !== 'string' || !/^[A-Za-z0-9_+=,.@-]{1,128}$/.test(role))) fail('role must be a CAM role name (letters, digits and +=,.@_-)');
  return {
    ...(role ? { role: role as string } : {}),
    region,
    namespace: src.flags?.namespace ?? (raw.namespace as string | undefined) ?? 'default',
    runtime,
    handler: 'index.main',
    defaults,
    functions,
    environment: collectEnvironment(raw, baseDir, src.env),
  };
}

/** What a plan prints for a value: clear for identifiers and URLs, a length for anything else. */
export function maskValue(name: string, value: string): string {
  if (NOT_SECRET.has(name)) return value;
  // A reference names a secret, it is not one: showing it lets the plan be checked.
  if (/^ssm:[A-Za-z0-9_.@#-]+$/.test(value)) return value;
  if (name === 'WXPAY_PUBLIC_KEY') return `<public key, ${value.length} chars>`;
  return `<secret, ${value.length} chars>`;
}
