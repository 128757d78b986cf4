/**
 * Timer triggers (from config.json) and the function URL (an `http` trigger), made idempotent:
 * list what exists, create what is missing, update what differs, leave the rest alone.
 */
import type { TimerTrigger } from './bundle';
import { step, type ScfApi } from './scf';

/** We never publish versions, so triggers follow the code every deploy updates. */
const QUALIFIER = '$LATEST';
export const FUNCTION_URL_TRIGGER = 'url';
/** Public URL without CAM auth: WeChat Pay and the mini-program cannot sign CAM requests;
 * payNotify verifies WeChat's signature and the other functions verify session tokens. */
export const FUNCTION_URL_DESC = JSON.stringify({ AuthType: 'NONE', NetConfig: { EnableIntranet: false, EnableExtranet: true } });

export type TriggerAction = 'created' | 'updated' | 'unchanged';

export interface TriggerOutcome {
  timers: Array<{ name: string; action: TriggerAction }>;
  url?: string;
  urlAction?: TriggerAction;
  notes: string[];
}

interface ExistingTrigger {
  TriggerName?: string;
  Type?: string;
  TriggerDesc?: string;
}

/** ListTriggers reports a timer's desc as `{"cron":"…"}`; CreateTrigger takes the bare cron. Accept both. */
export function cronOf(desc: string | undefined): string | undefined {
  if (!desc) return undefined;
  try {
    const parsed = JSON.parse(desc) as { cron?: unknown };
    if (parsed && typeof parsed.cron === 'string') return parsed.cron.trim().split(/\s+/).join(' ');
  } catch {
    /* a bare cron string */
  }
  return desc.trim().split(/\s+/).join(' ');
}

/** The function URL sits in the http trigger's desc (NetConfig.ExtranetUrl). */
export function urlOf(desc: string | undefined): string | undefined {
  if (!desc) return undefined;
  try {
    const parsed = JSON.parse(desc) as { NetConfig?: { ExtranetUrl?: unknown } };
    const u = parsed.NetConfig?.ExtranetUrl;
    if (typeof u === 'string' && u.startsWith('https://')) return u;
  } catch {
    /* not JSON: no URL */
  }
  return undefined;
}

async function list(api: ScfApi, fn: string, namespace: string): Promise<ExistingTrigger[]> {
  const res = await step(`ListTriggers ${fn}`, () => api.ListTriggers({ FunctionName: fn, Namespace: namespace, Limit: 100 }));
  return res.Triggers ?? [];
}

export async function syncTriggers(
  api: ScfApi,
  fn: string,
  namespace: string,
  want: { timers: TimerTrigger[]; functionUrl: boolean },
): Promise<TriggerOutcome> {
  const out: TriggerOutcome = { timers: [], notes: [] };
  const existing = await list(api, fn, namespace);
  for (const t of want.timers) {
    const found = existing.find((e) => e.Type === 'timer' && e.TriggerName === t.name);
    const base = { FunctionName: fn, Namespace: namespace, TriggerName: t.name, Type: 'timer', TriggerDesc: t.cron, Enable: 'OPEN', Qualifier: QUALIFIER };
    if (!found) {
      await step(`CreateTrigger ${fn}/${t.name}`, () => api.CreateTrigger(base));
      out.timers.push({ name: t.name, action: 'created' });
    } else if (cronOf(found.TriggerDesc) !== t.cron) {
      await step(`UpdateTrigger ${fn}/${t.name}`, () => api.UpdateTrigger(base));
      out.timers.push({ name: t.name, action: 'updated' });
    } else {
      out.timers.push({ name: t.name, action: 'unchanged' });
    }
  }
  for (const e of existing) {
    if (e.Type === 'timer' && !want.timers.some((t) => t.name === e.TriggerName)) {
      out.notes.push(`timer trigger ${e.TriggerName} exists on SCF but not in config.json; left as is`);
    }
  }
  if (!want.functionUrl) return out;
  let http = existing.find((e) => e.Type === 'http');
  if (http) {
    out.urlAction = 'unchanged';
  } else {
    await step(`CreateTrigger ${fn}/${FUNCTION_URL_TRIGGER} (function URL)`, () =>
      api.CreateTrigger({ FunctionName: fn, Namespace: namespace, TriggerName: FUNCTION_URL_TRIGGER, Type: 'http', TriggerDesc: FUNCTION_URL_DESC, Enable: 'OPEN', Qualifier: QUALIFIER }),
    );
    out.urlAction = 'created';
    http = (await list(api, fn, namespace)).find((e) => e.Type === 'http');
  }
  out.url = urlOf(http?.TriggerDesc);
  if (!out.url) out.notes.push('function URL created but its address was not reported yet: see the SCF console, 函数 URL');
  return out;
}
