/**
 * The deploy plan: a pure function of the built bundles and the deploy config. `--dry-run`
 * prints it and stops; a real deploy executes it. Printing never reveals a secret value.
 */
import type { FunctionBundle, TimerTrigger } from './bundle';
import { maskValue, type DeployConfig, type FunctionSettings } from './config';
import { t } from '../i18n';

export interface PlannedFunction extends FunctionSettings {
  zip: Buffer;
  sha256: string;
  files: string[];
  timers: TimerTrigger[];
  functionUrl: boolean;
  /** SCF execution role, when configured. */
  role?: string;
  warnings: string[];
}

export interface DeployPlan {
  region: string;
  namespace: string;
  functions: PlannedFunction[];
  warnings: string[];
}

/** Limits from the SCF API reference: ZipFile ≤ 50 MB on create, ≤ 20 MB on update (base64 text). */
export const MAX_ZIP_BASE64 = 20 * 1024 * 1024;
/** SCF caps a function's environment at about 4 KB in total (console limit; treat as advisory). */
export const ENV_SOFT_LIMIT = 4096;

export function buildPlan(bundles: FunctionBundle[], config: DeployConfig): DeployPlan {
  const warnings: string[] = [];
  const env = config.environment;
  const envBytes = Object.entries(env).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (envBytes > ENV_SOFT_LIMIT) {
    warnings.push(`function environment is ${envBytes} bytes; SCF may refuse more than ${ENV_SOFT_LIMIT} (keep keys as PEM text, not base64)`);
  }
  if (env.WXPAY_BASE_URL && /^http:\/\/(127\.|localhost)/.test(env.WXPAY_BASE_URL)) {
    warnings.push(`WXPAY_BASE_URL is ${env.WXPAY_BASE_URL}: that is the offline simulator, not WeChat Pay`);
  }
  const references = Object.keys(env).filter((k) => env[k].startsWith('ssm:'));
  if (references.length > 0 && !config.role) {
    warnings.push(`${references.join(', ')} ${references.length > 1 ? 'are' : 'is an'} ssm: reference${references.length > 1 ? 's' : ''}: set "role" in the deploy config to an SCF execution role allowed ssm:GetSecretValue, or the functions cannot read them`);
  }
  for (const name of Object.keys(config.functions)) {
    if (!bundles.some((b) => b.name === name)) warnings.push(`config names function "${name}", which is not in the functions directory`);
  }
  const functions = bundles.map((b): PlannedFunction => {
    const sizing = { ...config.defaults, ...stripUndefined(config.functions[b.name] ?? {}) };
    const fnWarnings = [...b.warnings];
    if (b.zip.toString('base64').length > MAX_ZIP_BASE64) fnWarnings.push('code package exceeds the 20 MB UpdateFunctionCode limit');
    return {
      name: b.name,
      runtime: config.runtime,
      handler: config.handler,
      timeout: sizing.timeout,
      memorySize: sizing.memorySize,
      environment: { ...env },
      zip: b.zip,
      sha256: b.sha256,
      files: b.files,
      timers: b.timers,
      functionUrl: sizing.functionUrl,
      ...(config.role ? { role: config.role } : {}),
      warnings: fnWarnings,
    };
  });
  return { region: config.region, namespace: config.namespace, functions, warnings };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function formatPlan(plan: DeployPlan): string {
  const lines = [t('plan.title', { region: plan.region, namespace: plan.namespace, count: plan.functions.length })];
  for (const f of plan.functions) {
    lines.push('');
    lines.push(t('plan.function', { name: f.name, runtime: f.runtime, handler: f.handler, timeout: f.timeout, memory: f.memorySize }));
    lines.push(t('plan.code', { files: f.files.join(' + '), bytes: f.zip.length, sha: f.sha256.slice(0, 12) }));
    for (const timer of f.timers) lines.push(t('plan.timer', { name: timer.name, cron: timer.cron }));
    if (f.functionUrl) lines.push(t('plan.functionUrl'));
    if (f.role) lines.push(t('plan.role', { role: f.role }));
    for (const w of f.warnings) lines.push(t('plan.warning', { indent: '    ', text: w }));
  }
  const env = plan.functions[0]?.environment ?? {};
  lines.push('');
  lines.push(t('plan.environment'));
  const names = Object.keys(env).sort();
  if (names.length === 0) lines.push(t('plan.none'));
  for (const k of names) lines.push(`    ${k}=${maskValue(k, env[k])}`);
  for (const w of plan.warnings) lines.push(t('plan.warning', { indent: '  ', text: w }));
  return lines.join('\n');
}
