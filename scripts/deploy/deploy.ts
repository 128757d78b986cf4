/**
 * Executes a deploy plan against SCF: for each function create-or-update (code, then
 * configuration only when it differs), wait for Active after every change, then sync
 * triggers. Re-running converges to the same state and creates nothing twice.
 */
import type { DeployPlan, PlannedFunction } from './plan';
import { isNotFound, step, waitActive, type ScfApi, type WaitOptions } from './scf';
import { syncTriggers, type TriggerAction } from './triggers';
import { DeployError } from './errors';
import { t } from '../i18n';

export interface FunctionOutcome {
  name: string;
  action: 'created' | 'updated';
  configChanged: boolean;
  timers: Array<{ name: string; action: TriggerAction }>;
  url?: string;
  notes: string[];
}

export interface DeployOptions extends Omit<WaitOptions, 'log'> {
  log: (line: string) => void;
}

type Variables = Array<{ Key: string; Value: string }>;

function variables(env: Record<string, string>): Variables {
  return Object.keys(env)
    .sort()
    .map((Key) => ({ Key, Value: env[Key] }));
}

function sameVariables(a: Variables, b: Variables): boolean {
  const key = (v: Variables) => JSON.stringify([...v].sort((x, y) => (x.Key < y.Key ? -1 : 1)).map((x) => [x.Key, x.Value]));
  return key(a) === key(b);
}

async function deployFunction(api: ScfApi, ns: string, f: PlannedFunction, o: DeployOptions): Promise<FunctionOutcome> {
  const wait = (why: string) => waitActive(api, f.name, ns, why, o);
  const notes: string[] = [];
  const Environment = { Variables: variables(f.environment) };
  const zipFile = f.zip.toString('base64');

  let current: Awaited<ReturnType<ScfApi['GetFunction']>> | undefined;
  try {
    current = await step(`GetFunction ${f.name}`, () => api.GetFunction({ FunctionName: f.name, Namespace: ns }));
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }

  if (!current) {
    o.log(t('deploy.step.creating', { name: f.name }));
    await step(`CreateFunction ${f.name}`, () =>
      api.CreateFunction({
        FunctionName: f.name,
        Namespace: ns,
        Type: 'Event',
        Handler: f.handler,
        Runtime: f.runtime,
        Timeout: f.timeout,
        MemorySize: f.memorySize,
        Environment,
        ...(f.role ? { Role: f.role } : {}),
        Code: { ZipFile: zipFile },
        InstallDependency: 'FALSE',
      }),
    );
    await wait('CreateFunction');
  } else {
    // A previous run may have been interrupted mid-update: wait for it rather than fail.
    if (current.Status !== 'Active') await wait('a previous change');
    if (current.Runtime && current.Runtime !== f.runtime) {
      notes.push(`runtime is ${current.Runtime} on SCF; SCF cannot change a runtime, delete the function to move to ${f.runtime}`);
    }
    o.log(t('deploy.step.updatingCode', { name: f.name }));
    await step(`UpdateFunctionCode ${f.name}`, () =>
      api.UpdateFunctionCode({ FunctionName: f.name, Namespace: ns, Handler: f.handler, ZipFile: zipFile, InstallDependency: 'FALSE' }),
    );
    await wait('UpdateFunctionCode');
  }

  let configChanged = false;
  if (current) {
    const now = current;
    configChanged =
      now.Timeout !== f.timeout ||
      now.MemorySize !== f.memorySize ||
      !sameVariables((now.Environment?.Variables ?? []) as Variables, Environment.Variables) ||
      (f.role !== undefined && now.Role !== f.role);
    if (configChanged) {
      o.log(t('deploy.step.updatingConfig', { name: f.name }));
      await step(`UpdateFunctionConfiguration ${f.name}`, () =>
        api.UpdateFunctionConfiguration({ FunctionName: f.name, Namespace: ns, Timeout: f.timeout, MemorySize: f.memorySize, Environment, ...(f.role ? { Role: f.role } : {}) }),
      );
      await wait('UpdateFunctionConfiguration');
    } else {
      o.log(t('deploy.step.configUnchanged', { name: f.name }));
    }
  }

  const synced = await syncTriggers(api, f.name, ns, { timers: f.timers, functionUrl: f.functionUrl });
  for (const timer of synced.timers) o.log(t('deploy.step.timer', { name: f.name, timer: timer.name, action: timer.action }));
  if (synced.urlAction) o.log(t('deploy.step.url', { name: f.name, action: synced.urlAction, url: synced.url ? ` (${synced.url})` : '' }));
  return { name: f.name, action: current ? 'updated' : 'created', configChanged, timers: synced.timers, url: synced.url, notes: [...notes, ...synced.notes] };
}

export async function executePlan(api: ScfApi, plan: DeployPlan, o: DeployOptions): Promise<FunctionOutcome[]> {
  const out: FunctionOutcome[] = [];
  for (const f of plan.functions) {
    if (f.zip.toString('base64').length > 20 * 1024 * 1024) {
      throw new DeployError('BUNDLE_INVALID', `bundle ${f.name}`, 'code package exceeds 20 MB base64; SCF would refuse it');
    }
    out.push(await deployFunction(api, plan.namespace, f, o));
  }
  return out;
}

/** Where to point things after a deploy: the lines a human must act on. */
export function formatUrls(outcomes: FunctionOutcome[], environment: Record<string, string>, notifyFunction = 'payNotify'): string {
  const lines: string[] = [];
  const withUrl = outcomes.filter((o) => o.url);
  if (withUrl.length > 0) {
    lines.push(t('deploy.urls.title'));
    for (const o of withUrl) lines.push(`  ${o.name}: ${o.url}`);
    lines.push('');
    lines.push(t('deploy.urls.transport'));
    lines.push(JSON.stringify(Object.fromEntries(withUrl.map((o) => [o.name, o.url])), null, 2));
  }
  const notify = outcomes.find((o) => o.name === notifyFunction);
  if (notify?.url) {
    const configured = environment.WXPAY_NOTIFY_URL;
    lines.push('');
    if (!configured || !configured.startsWith(notify.url)) {
      lines.push(t('deploy.urls.action', { url: notify.url.replace(/\/$/, '') }));
      lines.push(t('deploy.urls.actionNow', { current: configured ? configured : t('deploy.urls.unset') }));
    } else {
      lines.push(t('deploy.urls.ok', { fn: notifyFunction, url: configured }));
    }
  }
  for (const o of outcomes) for (const n of o.notes) lines.push(t('deploy.urls.note', { name: o.name, note: n }));
  return lines.join('\n');
}
