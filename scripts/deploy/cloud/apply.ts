/**
 * Runs a plan against the environment, item by item in plan order (database, functions, timers,
 * HTTP path), printing progress. Unchanged items are skipped, so a second run changes nothing.
 * On the first failure it stops and says what was done and what remains; every step is safe to
 * repeat, so the fix is to correct the cause and run the deploy again.
 */
import { DeployError } from '../errors';
import type { CloudApi } from './manager';
import type { CloudPlan, PlanItem } from './plan';
import { t } from '../../i18n';

export interface ApplyResult {
  done: PlanItem[];
}

async function run(api: CloudApi, item: PlanItem, log: (line: string) => void): Promise<void> {
  switch (item.kind) {
    case 'collection':
      return api.createCollection(item.collection);
    case 'rule':
      return api.setRule(item.collection, item.rule);
    case 'index':
      if (item.replace) await api.dropIndex(item.collection, item.index.name);
      return api.createIndex(item.collection, item.index);
    case 'function': {
      const f = item.fn;
      if (item.action === 'create') {
        // manager-node creates, then waits until the function is Active.
        await api.createFunction(f);
        return;
      }
      await api.waitActive(f.name);
      if (item.code) {
        log(t('deploy.cloud.uploading', { name: f.name }));
        await api.updateCode(f);
        await api.waitActive(f.name);
      }
      if (item.config) {
        log(t('deploy.cloud.updatingConfig', { name: f.name }));
        await api.updateConfig(f);
        await api.waitActive(f.name);
      }
      return;
    }
    case 'timer':
      if (item.replace) await api.deleteTimer(item.functionName, item.timer.name);
      return api.createTimer(item.functionName, item.timer);
    case 'path':
      for (const apiId of item.staleApiIds) await api.deleteAccess(apiId);
      return api.createAccess(item.path, item.functionName);
  }
}

export async function applyCloudPlan(api: CloudApi, plan: CloudPlan, log: (line: string) => void): Promise<ApplyResult> {
  const blocked = plan.items.filter((i) => i.action === 'blocked');
  if (blocked.length > 0) {
    throw new DeployError('CONFIG_INVALID', 'check plan', `nothing was changed: ${blocked.map((b) => `${b.subject}: ${b.changes.join('; ')}`).join(' | ')}`);
  }
  const todo = plan.items.filter((i) => i.action !== 'unchanged');
  const done: PlanItem[] = [];
  for (const [n, item] of todo.entries()) {
    log(`  [${n + 1}/${todo.length}] ${item.action} ${item.subject}`);
    try {
      await run(api, item, log);
    } catch (e) {
      const remaining = todo.slice(n);
      log('');
      log(t('deploy.cloud.stopped', { subject: item.subject }));
      log(t('deploy.cloud.doneSteps', { count: done.length, steps: done.length ? done.map((d) => `${d.action} ${d.subject}`).join('; ') : t('deploy.cloud.nothing') }));
      log(t('deploy.cloud.notDone', { count: remaining.length, steps: remaining.map((d) => `${d.action} ${d.subject}`).join('; ') }));
      log(t('deploy.cloud.rerun'));
      throw e;
    }
    done.push(item);
  }
  return { done };
}
