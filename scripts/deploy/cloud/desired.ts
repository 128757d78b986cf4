/**
 * The desired state of a WeChat Cloud environment: a pure function of the built bundles, the
 * deploy config and the database registry (lib/store/deployment.ts). The plan compares it with
 * what the environment has; the deploy makes the environment match it.
 */
import type { FunctionBundle, TimerTrigger } from '../bundle';
import { DeployError } from '../errors';
import { collectionNames, DATABASE_INDEXES, securityRuleFor, type IndexSpec, type SecurityRule } from '../../../lib/store/deployment';
import type { CloudConfig } from './config';
import type { NewFunction } from './manager';

/** A function as the environment should have it: what createFunction takes, plus what the plan compares. */
export interface DesiredFunction extends NewFunction {
  sha256: string;
  files: string[];
  timers: TimerTrigger[];
  warnings: string[];
}

export interface DesiredCollection {
  name: string;
  indexes: IndexSpec[];
  rule: SecurityRule;
}

export interface DesiredState {
  envId: string;
  region: string;
  functions: DesiredFunction[];
  /** The HTTP access path WeChat Pay notifies (from WXPAY_NOTIFY_URL), bound to the notify function. */
  access: { path: string; functionName: string; url: string };
  collections: DesiredCollection[];
  warnings: string[];
}

export const NOTIFY_FUNCTION = 'payNotify';
/** manager-node sends a ZipFile inline up to 1.5 MB (base64 ≈ 2 MiB); larger needs its COS upload. */
export const MAX_INLINE_ZIP_BASE64 = Math.floor((1.5 * 1024 * 1024 * 4) / 3);

/** The path part of the notify URL: what the HTTP access service must map to payNotify. */
export function notifyPath(notifyUrl: string | undefined, envId: string): { path: string; warning?: string } {
  if (!notifyUrl) throw new DeployError('CONFIG_INVALID', 'read WXPAY_NOTIFY_URL', 'missing: set it to https://<env default domain or your domain>/pay/notify');
  let u: URL;
  try {
    u = new URL(notifyUrl);
  } catch {
    throw new DeployError('CONFIG_INVALID', 'read WXPAY_NOTIFY_URL', `${JSON.stringify(notifyUrl)} is not a URL`);
  }
  const path = u.pathname.replace(/\/+$/, '') || '/';
  if (path === '/') throw new DeployError('CONFIG_INVALID', 'read WXPAY_NOTIFY_URL', 'needs a path (e.g. /pay/notify) to bind to payNotify');
  // The default domain is <env>-<n>.<region>.app.tcloudbase.com; a custom domain is fine too.
  const warning = /\.tcloudbase\.com$/.test(u.hostname) && !u.hostname.startsWith(envId)
    ? `WXPAY_NOTIFY_URL host ${u.hostname} is a CloudBase domain of another environment than ${envId}`
    : undefined;
  return { path, warning };
}

export function buildDesired(bundles: FunctionBundle[], config: CloudConfig): DesiredState {
  const warnings: string[] = [];
  for (const name of Object.keys(config.functions)) {
    if (!bundles.some((b) => b.name === name)) warnings.push(`config names function "${name}", which is not in the functions directory`);
  }
  if (!bundles.some((b) => b.name === NOTIFY_FUNCTION)) {
    throw new DeployError('BUNDLE_MISSING', 'plan HTTP access', `no ${NOTIFY_FUNCTION} function to bind WXPAY_NOTIFY_URL to`);
  }
  const { path, warning } = notifyPath(config.environment.WXPAY_NOTIFY_URL, config.envId);
  if (warning) warnings.push(warning);
  const functions = bundles.map((b): DesiredFunction => {
    const zipBase64 = b.zip.toString('base64');
    const fnWarnings = [...b.warnings];
    if (zipBase64.length > MAX_INLINE_ZIP_BASE64) {
      throw new DeployError('BUNDLE_INVALID', `bundle ${b.name}`, `code package is ${zipBase64.length} base64 characters; the inline upload allows ${MAX_INLINE_ZIP_BASE64}`);
    }
    return {
      name: b.name,
      runtime: config.runtime,
      handler: config.handler,
      timeout: config.functions[b.name]?.timeout ?? config.defaults.timeout,
      memorySize: config.functions[b.name]?.memorySize ?? config.defaults.memorySize,
      environment: { ...config.environment },
      zipBase64,
      sha256: b.sha256,
      files: b.files,
      timers: b.timers,
      warnings: fnWarnings,
    };
  });
  const collections = collectionNames().map((name) => ({ name, indexes: DATABASE_INDEXES[name] ?? [], rule: securityRuleFor(name) }));
  return {
    envId: config.envId,
    region: config.region,
    functions,
    access: { path, functionName: NOTIFY_FUNCTION, url: config.environment.WXPAY_NOTIFY_URL },
    collections,
    warnings,
  };
}
