/**
 * The deploy plan: desired state against observed state, item by item (collection, rule, index,
 * function, timer, HTTP path), each create / update / unchanged — or blocked, when the deploy cannot
 * fix it (a runtime cannot change in place). Pure; `--dry-run` prints it, the deploy runs it, the
 * doctor turns it into findings. Printing names variables, never their values.
 */
import type { TimerTrigger } from '../bundle';
import { maskValue } from '../config';
import type { IndexSpec } from '../../../lib/store/deployment';
import type { DesiredFunction, DesiredState } from './desired';
import type { ObservedFunction, ObservedState } from './observe';
import type { RemoteIndex, RemotePermission } from './manager';
import { t } from '../../i18n';

export type Action = 'create' | 'update' | 'unchanged' | 'blocked';

interface Base {
  subject: string;
  action: Action;
  /** What differs (names and sizes only, never a secret value). */
  changes: string[];
}
export type PlanItem =
  | (Base & { kind: 'collection'; collection: string })
  | (Base & { kind: 'rule'; collection: string; rule: string })
  | (Base & { kind: 'index'; collection: string; index: IndexSpec; replace: boolean })
  | (Base & { kind: 'function'; fn: DesiredFunction; code: boolean; config: boolean })
  | (Base & { kind: 'timer'; functionName: string; timer: TimerTrigger; replace: boolean })
  | (Base & { kind: 'path'; path: string; functionName: string; staleApiIds: string[] });

export interface CloudPlan {
  envId: string;
  region: string;
  items: PlanItem[];
  environment: Record<string, string>;
  warnings: string[];
}

const ruleText = (r: { read: boolean; write: boolean }) => JSON.stringify({ read: r.read, write: r.write });

function remoteRule(p: RemotePermission | undefined): string | undefined {
  if (!p) return undefined;
  if (p.Permission !== 'CUSTOM' || !p.SecurityRule) return p.Permission ? `preset ${p.Permission}` : undefined;
  try {
    const r = JSON.parse(p.SecurityRule) as Record<string, unknown>;
    // Only the exact two-key form is ours; anything richer is shown as it is (and replaced).
    if (typeof r.read === 'boolean' && typeof r.write === 'boolean' && Object.keys(r).length === 2) return ruleText({ read: r.read, write: r.write });
  } catch {
    // not JSON: shown as it is
  }
  return p.SecurityRule;
}

const keysText = (keys: Array<{ field: string; direction: number }>) => keys.map((k) => `${k.field}:${k.direction}`).join(',');
const remoteKeysText = (i: RemoteIndex) => (i.Keys ?? []).map((k) => `${k.Name}:${Number(k.Direction)}`).join(',');

/** What differs between a function's desired and current configuration (names only for variables). */
export function functionChanges(want: DesiredFunction, have: ObservedFunction): { code: boolean; config: boolean; changes: string[] } {
  const changes: string[] = [];
  const code = have.codeSha256?.toLowerCase() !== want.sha256;
  if (code) changes.push(`code ${have.codeSha256 ? have.codeSha256.slice(0, 12) + '…' : 'unknown'} → ${want.sha256.slice(0, 12)}…`);
  if (have.handler && have.handler !== want.handler) changes.push(`handler ${have.handler} → ${want.handler}`);
  let config = false;
  if (have.timeout !== want.timeout) {
    changes.push(`timeout ${have.timeout ?? '?'} s → ${want.timeout} s`);
    config = true;
  }
  if (have.memorySize !== want.memorySize) {
    changes.push(`memory ${have.memorySize ?? '?'} MB → ${want.memorySize} MB`);
    config = true;
  }
  const added = Object.keys(want.environment).filter((k) => !(k in have.environment)).sort();
  const removed = Object.keys(have.environment).filter((k) => !(k in want.environment)).sort();
  const changed = Object.keys(want.environment).filter((k) => k in have.environment && have.environment[k] !== want.environment[k]).sort();
  if (added.length) changes.push(`environment: add ${added.join(', ')}`);
  if (changed.length) changes.push(`environment: change ${changed.join(', ')}`);
  if (removed.length) changes.push(`environment: remove ${removed.join(', ')}`);
  if (added.length || changed.length || removed.length) config = true;
  return { code, config, changes };
}

export function buildCloudPlan(desired: DesiredState, observed: ObservedState): CloudPlan {
  const items: PlanItem[] = [];
  const warnings = [...desired.warnings];
  // Database first: a function must not go live before its collections exist and are shut to clients.
  for (const c of desired.collections) {
    const exists = observed.collections.has(c.name);
    items.push({ kind: 'collection', subject: `collection ${c.name}`, action: exists ? 'unchanged' : 'create', changes: [], collection: c.name });
    const want = ruleText(c.rule);
    const have = exists ? remoteRule(observed.rules[c.name]) : undefined;
    items.push({
      kind: 'rule',
      subject: `rule ${c.name} ${want}`,
      action: have === want ? 'unchanged' : 'update',
      changes: have === want ? [] : [`${have ?? (exists ? 'unknown' : 'new collection (console default: creator only)')} → ${want}`],
      collection: c.name,
      rule: want,
    });
    for (const index of c.indexes) {
      const current = (observed.indexes[c.name] ?? []).find((i) => i.Name === index.name);
      const same = current && remoteKeysText(current) === keysText(index.keys) && Boolean(current.Unique) === index.unique;
      items.push({
        kind: 'index',
        subject: `index ${c.name}.${index.name} (${keysText(index.keys)}${index.unique ? ', unique' : ''})`,
        action: !current ? 'create' : same ? 'unchanged' : 'update',
        changes: current && !same ? [`keys ${remoteKeysText(current)}${current.Unique ? ' unique' : ''} → ${keysText(index.keys)}${index.unique ? ' unique' : ''}`] : [],
        collection: c.name,
        index,
        replace: Boolean(current && !same),
      });
    }
  }
  for (const f of desired.functions) {
    const have = observed.functions[f.name];
    for (const w of f.warnings) warnings.push(`${f.name}: ${w}`);
    if (!have) {
      const created = [`${f.runtime}, ${f.handler}, timeout ${f.timeout} s, memory ${f.memorySize} MB, ${Object.keys(f.environment).length} variables, code ${f.sha256.slice(0, 12)}… (${f.files.join(' + ')}), no cloud install`];
      items.push({ kind: 'function', subject: `function ${f.name}`, action: 'create', changes: created, fn: f, code: true, config: true });
    } else if (have.runtime && have.runtime !== f.runtime) {
      items.push({
        kind: 'function',
        subject: `function ${f.name}`,
        action: 'blocked',
        changes: [`runtime is ${have.runtime}; a runtime cannot be changed in place: delete the function (云开发控制台 → 云函数, or \`tcb fn delete ${f.name}\`) and re-run to recreate it on ${f.runtime}`],
        fn: f,
        code: false,
        config: false,
      });
    } else {
      const d = functionChanges(f, have);
      items.push({ kind: 'function', subject: `function ${f.name}`, action: d.code || d.config ? 'update' : 'unchanged', changes: d.changes, fn: f, code: d.code, config: d.config });
    }
    for (const trigger of f.timers) {
      const current = have?.timers.find((x) => x.name === trigger.name);
      items.push({
        kind: 'timer',
        subject: `timer ${f.name}/${trigger.name} "${trigger.cron}"`,
        action: !current ? 'create' : current.cron === trigger.cron ? 'unchanged' : 'update',
        changes: current && current.cron !== trigger.cron ? [`cron "${current.cron}" → "${trigger.cron}"`] : [],
        functionName: f.name,
        timer: trigger,
        replace: Boolean(current && current.cron !== trigger.cron),
      });
    }
  }
  const { path, functionName } = desired.access;
  const bound = observed.access.filter((a) => a.Name === functionName && (a.Type ?? 1) === 1);
  const stale = observed.access.filter((a) => !bound.includes(a));
  items.push({
    kind: 'path',
    subject: `HTTP path ${path} → ${functionName}`,
    action: bound.length > 0 && stale.length === 0 ? 'unchanged' : stale.length > 0 ? 'update' : 'create',
    changes: stale.map((a) => `now bound to ${a.Name ?? '?'} (rebind)`),
    path,
    functionName,
    staleApiIds: stale.map((a) => a.APIId ?? '').filter(Boolean),
  });
  return { envId: desired.envId, region: desired.region, items, environment: desired.functions[0]?.environment ?? {}, warnings };
}

const MARK: Record<Action, string> = { create: '+', update: '~', unchanged: '=', blocked: '!' };

export function summary(plan: CloudPlan): string {
  const n = (a: Action) => plan.items.filter((i) => i.action === a).length;
  const blocked = n('blocked');
  return t('plan.cloud.summary', { create: n('create'), update: n('update'), unchanged: n('unchanged') }) + (blocked ? t('plan.cloud.blocked', { count: blocked }) : '');
}

export function formatCloudPlan(plan: CloudPlan): string {
  const lines = [t('plan.cloud.title', { envId: plan.envId, region: plan.region })];
  for (const i of plan.items) {
    lines.push(`  ${MARK[i.action]} ${i.subject}${i.action === 'unchanged' ? '' : `: ${i.action}`}`);
    for (const c of i.changes) lines.push(`      ${c}`);
  }
  lines.push('');
  lines.push(t('plan.cloud.environment'));
  for (const k of Object.keys(plan.environment).sort()) lines.push(`    ${k}=${maskValue(k, plan.environment[k])}`);
  for (const w of plan.warnings) lines.push(t('plan.warning', { indent: '  ', text: w }));
  lines.push('');
  lines.push(t('plan.cloud.summaryLine', { summary: summary(plan) }));
  return lines.join('\n');
}
