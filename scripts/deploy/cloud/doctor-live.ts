/**
 * The doctor's read-only check of a live WeChat Cloud environment: the deploy plan, read as
 * findings. Anything the deploy would create or fix that breaks payments is an error (a function
 * missing or on the wrong runtime, a 3 s timeout, a variable absent, no timer, the notify path not
 * bound to payNotify, a collection open to the client SDK, a missing index); differences that do
 * not (code older than the local build, a variable whose value differs — never shown) are warnings.
 */
import type { Finding } from '../doctor';
import type { CloudPlan, PlanItem } from './plan';

const WARN_ONLY = /^(code |environment: change |environment: remove )/;

function findingsOf(item: PlanItem): Finding[] {
  const subject = item.subject;
  if (item.action === 'unchanged') {
    const detail = item.kind === 'function' ? `${item.fn.runtime}, timeout ${item.fn.timeout} s, memory ${item.fn.memorySize} MB, code and all ${Object.keys(item.fn.environment).length} variables as configured` : 'as configured';
    return [{ level: 'ok', subject, message: detail }];
  }
  if (item.action === 'create') {
    const what = item.kind === 'rule' ? 'collection does not exist yet' : item.kind === 'path' ? 'no HTTP access path: WeChat Pay notifications cannot reach payNotify' : 'missing';
    return [{ level: 'error', subject, message: `${what} (npm run deploy:cloud creates it)` }];
  }
  if (item.action === 'blocked') return item.changes.map((message) => ({ level: 'error' as const, subject, message }));
  return item.changes.map((change) => ({
    level: item.kind === 'function' && WARN_ONLY.test(change) ? ('warn' as const) : ('error' as const),
    subject,
    message: `${change.replace(/^environment: change (.*)$/, 'environment: $1 differ from the config (values not shown)')} (npm run deploy:cloud fixes it)`,
  }));
}

export function liveFindings(plan: CloudPlan): Finding[] {
  return [
    { level: 'ok', subject: 'WeChat Cloud environment', message: `${plan.envId} (${plan.region}) read` },
    ...plan.items.flatMap(findingsOf),
    ...plan.warnings.map((message): Finding => ({ level: 'warn', subject: 'deploy plan', message })),
  ];
}
