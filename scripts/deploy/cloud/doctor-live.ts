/**
 * The doctor's read-only check of a live WeChat Cloud environment: the deploy plan, read as
 * findings. Anything the deploy would create or fix that breaks payments is an error (a function
 * missing or on the wrong runtime, a 3 s timeout, a variable absent, no timer, the notify path not
 * bound to payNotify, a collection open to the client SDK, a missing index); differences that do
 * not (code older than the local build, a variable whose value differs — never shown) are warnings.
 */
import type { Finding } from '../doctor';
import type { CloudPlan, PlanItem } from './plan';
import { t } from '../../i18n';

const WARN_ONLY = /^(code |environment: change |environment: remove )/;

function findingsOf(item: PlanItem): Finding[] {
  const subject = item.subject;
  if (item.action === 'unchanged') {
    const detail = item.kind === 'function'
      ? t('doctor.live.functionOk', { runtime: item.fn.runtime, timeout: item.fn.timeout, memory: item.fn.memorySize, count: Object.keys(item.fn.environment).length })
      : t('doctor.live.asConfigured');
    return [{ level: 'ok', subject, message: detail }];
  }
  if (item.action === 'create') {
    const what = t(item.kind === 'rule' ? 'doctor.live.noCollection' : item.kind === 'path' ? 'doctor.live.noPath' : 'doctor.live.missing');
    return [{ level: 'error', subject, message: t('doctor.live.creates', { what }) }];
  }
  if (item.action === 'blocked') return item.changes.map((message) => ({ level: 'error' as const, subject, message }));
  return item.changes.map((change) => ({
    level: item.kind === 'function' && WARN_ONLY.test(change) ? ('warn' as const) : ('error' as const),
    subject,
    message: t('doctor.live.fixes', { change: change.replace(/^environment: change (.*)$/, (_whole, names: string) => t('doctor.live.differ', { names })) }),
  }));
}

export function liveFindings(plan: CloudPlan): Finding[] {
  return [
    { level: 'ok', subject: 'WeChat Cloud environment', message: t('doctor.live.read', { envId: plan.envId, region: plan.region }) },
    ...plan.items.flatMap(findingsOf),
    ...plan.warnings.map((message): Finding => ({ level: 'warn', subject: 'deploy plan', message })),
  ];
}
