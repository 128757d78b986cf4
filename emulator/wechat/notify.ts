// Notifications: the body WeChat sends (AES-256-GCM resource, signed headers), delivered to the
// order's notify_url on the real retry schedule, compressed by the time scale. Delivered = a 2xx
// within the timeout; after the last retry the delivery is given up and stays in the log.
import { buildNotificationBody } from '../../lib/wechatpay';
import { notificationId } from './ids';
import { postNotification, resolveTarget } from './deliver';
import type { SimState } from './state';
import type { Attempt, AttemptOutcome, Delivery } from './types';

/** Seconds between attempts after the first: 15s, 15s, 30s, 3m, 10m, 20m, 30m ×3, 60m, 3h ×3, 6h ×2. */
export const RETRY_SCHEDULE_SECONDS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600];

export interface NotificationInput {
  event_type: string;
  summary: string;
  original_type: 'transaction' | 'refund';
  resource: unknown;
  notify_url: string;
  out_trade_no: string;
  out_refund_no?: string;
  mchid: string;
}

export function enqueueNotification(state: SimState, n: NotificationInput): Delivery {
  const now = state.now();
  const apiV3Key = state.merchants.get(n.mchid)!.apiV3Key;
  const id = notificationId();
  // Built once; each attempt is signed on its own (deliver.ts → platform.ts signBody).
  const body = buildNotificationBody({ eventType: n.event_type, resource: n.resource as object, apiV3Key, id, summary: n.summary, originalType: n.original_type, now });
  const delivery: Delivery = {
    id, event_type: n.event_type, out_trade_no: n.out_trade_no, out_refund_no: n.out_refund_no,
    notify_url: n.notify_url, target: resolveTarget(n.notify_url, state.notifyRedirects),
    body, state: 'pending', attempts: [], createdAt: now,
  };
  state.deliveries.push(delivery); // schedule() marks it changed, so it is written with this request's commit
  const f = state.faults;
  const jitter = f.reorderWindowMs ? state.prng.int(f.reorderWindowMs + 1) : 0;
  schedule(state, delivery, now + (f.notificationDelayMs ?? 0) + jitter, 0);
  return delivery;
}

/** Each delivery's current schedule: a resend supersedes the queued attempt, so only one chain runs. */
const generations = new WeakMap<Delivery, number>();

function schedule(state: SimState, d: Delivery, due: number, nominalDelay: number, manual = false): void {
  const gen = (generations.get(d) ?? 0) + 1;
  generations.set(d, gen);
  d.nextAttemptAt = due;
  state.changed('deliveries', d.id);
  state.scheduler.at(due, () => (generations.get(d) === gen ? attempt(state, d, nominalDelay, manual, gen) : undefined));
}

/**
 * A developer's "send it again" (the console, tests): one attempt now, whatever the state. A
 * delivered or given-up notification goes out once more with the same body (the merchant must ack
 * it idempotently, as for any duplicate); a pending one is attempted now instead of at its retry time.
 * If that attempt fails, the remaining retry schedule (if any) continues from there.
 */
export function resendNotification(state: SimState, d: Delivery): void {
  d.state = 'pending';
  schedule(state, d, state.now(), 0, true);
}

/** After a restart: a pending delivery goes back on its schedule (now, if its attempt was cut off). */
export function resumeDelivery(state: SimState, d: Delivery): void {
  if (d.state !== 'pending') return;
  const retryIndex = d.attempts.length - 1;
  const nominal = retryIndex >= 0 ? RETRY_SCHEDULE_SECONDS[retryIndex] ?? 0 : 0;
  schedule(state, d, d.nextAttemptAt ?? state.now(), nominal);
}

async function attempt(state: SimState, d: Delivery, nominalDelay: number, manual: boolean, gen: number): Promise<void> {
  if (d.state !== 'pending' || !state.deliveries.includes(d)) return;
  // Routed at send time: after a restart the local receiver may listen on another port.
  d.target = resolveTarget(d.notify_url, state.notifyRedirects) ?? d.target;
  const f = state.faults;
  const record: Attempt = { n: d.attempts.length + 1, at: state.now(), scheduledDelaySeconds: nominalDelay, outcome: 'rejected', statuses: [] };
  if (manual) record.manual = true;
  d.attempts.push(record);
  d.nextAttemptAt = undefined;
  state.changed('deliveries', d.id);
  if (f.signProbe && d.target) {
    const r = await postNotification(state, d.target, d.body, 'probe');
    record.probe = { status: r.status, outcome: r.outcome };
  }
  if (state.prng.chance(f.dropNotifications ?? 0)) record.outcome = 'dropped';
  else if (!d.target) {
    record.outcome = 'unroutable';
    record.error = `no local route for ${new URL(d.notify_url).origin}: add it to notifyRedirects`;
  } else {
    const corrupt = state.prng.chance(f.corruptNotifications ?? 0) ? (f.corruptMode ?? 'signature') : undefined;
    if (corrupt) record.corrupted = corrupt;
    const copies = f.duplicateNotifications ?? 1;
    const send = () => postNotification(state, d.target!, d.body, corrupt);
    const results = f.concurrentDuplicates
      ? await Promise.all(Array.from({ length: copies }, send))
      : await sequential(copies, send);
    record.statuses = results.map((r) => r.status ?? 0);
    record.serials = results.map((r) => r.serial ?? '');
    const ok = results.find((r) => r.outcome === 'delivered');
    record.outcome = ok ? 'delivered' : results[results.length - 1].outcome;
    const err = results.find((r) => r.error)?.error;
    if (err && !ok) record.error = err;
  }
  // The attempt's outcome (and what settle decides) goes out with the task's commit.
  state.changed('deliveries', d.id);
  settle(state, d, record.outcome, gen);
}

function settle(state: SimState, d: Delivery, outcome: AttemptOutcome, gen: number): void {
  // A resend while this attempt was in flight took over the schedule.
  if (generations.get(d) !== gen) return;
  // A reset while this attempt was in flight replaced the log: the old delivery must not retry into it.
  if (d.state !== 'pending' || !state.deliveries.includes(d)) return;
  if (outcome === 'delivered') {
    d.state = 'delivered';
    return;
  }
  const retryIndex = d.attempts.length - 1;
  if (retryIndex >= RETRY_SCHEDULE_SECONDS.length) {
    d.state = 'gave_up';
    return;
  }
  const delay = RETRY_SCHEDULE_SECONDS[retryIndex];
  schedule(state, d, state.now() + (delay * 1000) / state.timeScale, delay);
}

async function sequential<T>(n: number, fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}
