/**
 * Reads what a WeChat Cloud environment has, for the parts the deploy manages (read-only calls
 * only: the dry run, the doctor's live check and the real deploy all start here).
 */
import type { CloudApi, RemoteAccess, RemoteIndex, RemotePermission } from './manager';
import type { DesiredState } from './desired';
import { t } from '../../i18n';

export interface ObservedFunction {
  runtime?: string;
  handler?: string;
  timeout?: number;
  memorySize?: number;
  status?: string;
  environment: Record<string, string>;
  codeSha256?: string;
  timers: Array<{ name: string; cron: string }>;
}

export interface ObservedState {
  envId: string;
  functions: Record<string, ObservedFunction | undefined>;
  /** Access entries on the notify path. */
  access: RemoteAccess[];
  collections: Set<string>;
  indexes: Record<string, RemoteIndex[]>;
  rules: Record<string, RemotePermission | undefined>;
}

/** A timer's TriggerDesc is `{"cron":"…"}` in GetFunction (the raw cron is accepted too). */
export function cronOf(desc: string | undefined): string {
  if (!desc) return '';
  try {
    const parsed = JSON.parse(desc) as { cron?: unknown };
    if (parsed && typeof parsed.cron === 'string') return parsed.cron.trim().split(/\s+/).join(' ');
  } catch {
    // not JSON: the cron itself
  }
  return desc.trim().split(/\s+/).join(' ');
}

export async function observe(api: CloudApi, desired: DesiredState, log: (line: string) => void = () => {}): Promise<ObservedState> {
  log(t('deploy.cloud.reading', { envId: desired.envId }));
  const info = await api.envInfo();
  const functions: ObservedState['functions'] = {};
  for (const f of desired.functions) {
    const remote = await api.getFunction(f.name);
    if (!remote) {
      functions[f.name] = undefined;
      continue;
    }
    functions[f.name] = {
      runtime: remote.Runtime,
      handler: remote.Handler,
      timeout: remote.Timeout,
      memorySize: remote.MemorySize,
      status: remote.Status,
      environment: Object.fromEntries((remote.Environment?.Variables ?? []).map((v) => [v.Key, v.Value])),
      codeSha256: await api.codeSha256(f.name),
      timers: (remote.Triggers ?? []).filter((t) => t.Type === 'timer').map((t) => ({ name: t.TriggerName ?? '', cron: cronOf(t.TriggerDesc) })),
    };
  }
  const access = await api.listAccess(desired.access.path);
  const collections = new Set(await api.listCollections());
  const indexes: ObservedState['indexes'] = {};
  for (const c of desired.collections) if (collections.has(c.name) && c.indexes.length > 0) indexes[c.name] = await api.listIndexes(c.name);
  const rules: ObservedState['rules'] = {};
  const existing = desired.collections.filter((c) => collections.has(c.name)).map((c) => c.name);
  if (existing.length > 0) for (const p of await api.describeRules(existing)) if (p.Resource) rules[p.Resource] = p;
  return { envId: info.EnvId, functions, access: access.filter((a) => a.Path === desired.access.path), collections, indexes, rules };
}
