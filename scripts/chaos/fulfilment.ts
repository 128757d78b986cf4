/**
 * The chaos run's fulfilment phase, after every payment and refund has settled: merchant staff ship
 * each paid physical order through shipOrder (unified, split, one re-shipment and the refused
 * second, a double tap), try to ship refunded and unpaid orders (refused), the timer delivers the
 * virtual ones, customers confirm receipt on the emulated platform and its clock fast-forwards the
 * rest — with the platform's faults on (errcode -1 / 44990, pushes dropped and duplicated) and the
 * CloudBase write failures back on. Bounded: a number of timer ticks per stage and a deadline, both
 * scaled to the paid orders (phaseBudget); what did not converge is a violation
 * (fulfilment-check.ts), never a wait without end.
 */
import type { Prng } from '../../emulator/shared/prng';
import { FULFILMENT_BATCH } from '../../lib/fulfilment/reconcile';
import { CHAOS_STAFF_OPENID } from './customers';
import { callFunction, postJson, type RetryPolicy } from './http';

export type ShipPlan = 'unified' | 'split' | 'reship' | 'doubleTap' | 'local';

/** One shipOrder request as staff saw it end. */
export interface ShipAttempt {
  outTradeNo: string;
  plan: ShipPlan | 'refunded' | 'unpaid';
  trackingNos: string[];
  /** ok: shipOrder answered the shipment (pendingUpload: the timer still owes it); refused: SHIPPING_REFUSED etc.; gaveUp: retries ran out. */
  answer: 'ok' | 'refused' | 'gaveUp';
  pendingUpload?: boolean;
  replayed?: boolean;
  reason?: string;
  wxErrcode?: number;
  /** The refusal the platform's rules demand here (10060003: a second re-shipment; 10060004: not paid). */
  expectRefusal?: number;
}

export const PLATFORM_FAULTS = { systemErrorRate: 0.1, rateLimitRate: 0.05, dropPushRate: 0.3, duplicatePushRate: 0.3 };
const STAFF_PATIENCE: RetryPolicy = { attempts: 30, baseDelayMs: 50 };
const EXPRESS_PLANS: ShipPlan[] = ['unified', 'unified', 'split', 'reship', 'doubleTap'];

interface OrderLike {
  _id: string;
  status: string;
  deliveryKind?: string;
  fulfilment?: { status: string; outbox?: unknown } | null;
}

export interface FulfilmentEnv {
  cloudbaseUrl: string;
  readOrders: () => Promise<OrderLike[]>;
  say: (message: string) => void;
  /** Every raw answer staff received (secret hygiene reads them all). */
  onResponse?: (raw: string) => void;
  /** Crash (and restart) the stack once, halfway through the shipping. */
  crash?: () => Promise<void>;
  /** How long staff keep retrying a retryable shipOrder answer (default STAFF_PATIENCE). */
  staffPatience?: RetryPolicy;
}

async function ship(env: FulfilmentEnv, outTradeNo: string, plan: ShipAttempt['plan'], parcels: Array<{ trackingNo: string; expressCompany: string }>, extra: Record<string, unknown> = {}, expectRefusal?: number): Promise<ShipAttempt> {
  const out = await callFunction<any>(env.cloudbaseUrl, 'shipOrder', { outTradeNo, parcels, ...extra }, CHAOS_STAFF_OPENID, env.staffPatience ?? STAFF_PATIENCE, env.onResponse);
  const base = { outTradeNo, plan, trackingNos: parcels.map((p) => p.trackingNo), ...(expectRefusal !== undefined ? { expectRefusal } : {}) };
  if (out.ok) return { ...base, answer: 'ok', pendingUpload: out.value.pendingUpload === true, replayed: out.value.replayed === true };
  if (out.error) return { ...base, answer: 'refused', reason: out.reason, ...(typeof out.error.wxErrcode === 'number' ? { wxErrcode: out.error.wxErrcode } : {}) };
  return { ...base, answer: 'gaveUp', reason: out.reason };
}

const parcel = (no: string, k: number, company = k % 2 ? 'ZTO' : 'YTO') => ({ trackingNo: `CH${no.slice(-10)}${k}`, expressCompany: company });

/** What staff do to one paid order, by its delivery kind and a seeded plan. */
async function shipPaid(env: FulfilmentEnv, order: OrderLike, plan: ShipPlan): Promise<ShipAttempt[]> {
  const no = order._id;
  switch (plan) {
    case 'local':
      // Pickup and same-city: staff mark them delivered; no tracking numbers.
      return [await ship(env, no, plan, [])];
    case 'unified':
      return [await ship(env, no, plan, [parcel(no, 1)])];
    case 'split':
      // SF Express needs the receiver's masked phone.
      return [await ship(env, no, plan, [parcel(no, 1), parcel(no, 2, 'SF'), parcel(no, 3)], { split: true, allDelivered: true, receiverContact: '139****0000' })];
    case 'doubleTap': {
      const same = [parcel(no, 1)];
      return Promise.all([ship(env, no, plan, same), ship(env, no, plan, same)]);
    }
    case 'reship': {
      const first = await ship(env, no, plan, [parcel(no, 1)]);
      const corrected = await ship(env, no, plan, [parcel(no, 4)]);
      // The platform allows one re-shipment per order: the next correction is refused (10060003).
      const third = await ship(env, no, plan, [parcel(no, 5)], {}, 10060003);
      return [first, corrected, third];
    }
  }
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Where the phase's time went (ms), and the ticks each timer stage took. */
export interface FulfilmentTimings {
  shipMs: number;
  uploadsMs: number;
  uploadsTicks: number;
  confirmMs: number;
  settleMs: number;
  settleTicks: number;
}

export interface FulfilmentPhase {
  attempts: ShipAttempt[];
  plans: Record<string, ShipPlan>;
  customerConfirmed: number;
  ticks: number;
  timings: FulfilmentTimings;
  /** The bounds the phase ran under (phaseBudget). */
  budget: { maxTicks: number; deadlineMs: number };
  /** Set when the phase stopped at its tick limit or deadline with work left. */
  unfinished?: string;
}

/**
 * The phase's bounds for `paid` paid orders. The timer works through at most FULFILMENT_BATCH owed
 * uploads, virtual deliveries and getOrder polls per tick, so a stage needs about paid / BATCH ticks
 * at the very least; each stage may take three times that (faults make items come back) plus 60.
 * The deadline covers the staff's shipping too: 300 s plus 400 ms per paid order (a 1k run's phase
 * took 57 s for 683 paid orders at load ~10; a 10k run, about 7000 paid: 3100 s). A platform that
 * never answers ends there as "did not converge", not as a hang.
 */
export function phaseBudget(paid: number): { maxTicks: number; deadlineMs: number } {
  return { maxTicks: 60 + 3 * Math.ceil(paid / FULFILMENT_BATCH), deadlineMs: 300_000 + 400 * paid };
}

const trigger = (env: FulfilmentEnv): Promise<unknown> =>
  fetch(`${env.cloudbaseUrl}/__emulator/trigger/queryOrder`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(60_000) }).catch(() => undefined);

/** Timer ticks until `done` says so or the ticks/deadline run out; returns what is left, or undefined. */
async function tickUntil(env: FulfilmentEnv, what: string, maxTicks: number, deadline: number, done: (orders: OrderLike[]) => string | undefined, counter: { ticks: number }): Promise<string | undefined> {
  let left: string | undefined;
  for (let i = 0; i < maxTicks; i++) {
    left = done(await env.readOrders());
    if (!left) return undefined;
    if (Date.now() > deadline) return `${what}: deadline passed after ${i} timer ticks with ${left}`;
    if (i > 0 && i % 10 === 0) env.say(`fulfilment ${what}: ${i} timer ticks, ${left.slice(0, 80)}`);
    counter.ticks += 1;
    await trigger(env);
    await sleep(100);
  }
  left = done(await env.readOrders());
  return left && `${what}: ${maxTicks} timer ticks were not enough, ${left}`;
}

const paidOrders = (orders: OrderLike[]): OrderLike[] => orders.filter((o) => o.status === 'SUCCESS');
const listFew = (orders: OrderLike[]): string => `${orders.length} orders (${orders.slice(0, 5).map((o) => `${o._id} ${o.fulfilment?.status ?? 'no fulfilment'}${o.fulfilment?.outbox ? ' +outbox' : ''}`).join(', ')})`;

/** maxTicks / deadlineMs: given, they replace phaseBudget's (a test's "never answers" run). */
export async function runFulfilment(env: FulfilmentEnv, prng: Prng, options: { maxTicks?: number; deadlineMs?: number; concurrency: number }): Promise<FulfilmentPhase> {
  const started = Date.now();
  const orders = await env.readOrders();
  const scaled = phaseBudget(paidOrders(orders).length);
  const budget = { maxTicks: options.maxTicks ?? scaled.maxTicks, deadlineMs: options.deadlineMs ?? scaled.deadlineMs };
  const deadline = started + budget.deadlineMs;
  const timings: FulfilmentTimings = { shipMs: 0, uploadsMs: 0, uploadsTicks: 0, confirmMs: 0, settleMs: 0, settleTicks: 0 };
  const phase: FulfilmentPhase = { attempts: [], plans: {}, customerConfirmed: 0, ticks: 0, timings, budget };
  const physical = paidOrders(orders).filter((o) => o.deliveryKind !== 'virtual');
  for (const o of physical) phase.plans[o._id] = o.deliveryKind === 'express' ? EXPRESS_PLANS[prng.int(EXPRESS_PLANS.length)] : 'local';
  // Refunded and never-paid orders: staff try, the rules refuse (10060004), nothing reaches the platform.
  const refunded = orders.filter((o) => o.status === 'REFUND').slice(0, 3);
  const unpaid = orders.filter((o) => o.status === 'CLOSED').slice(0, 3);
  env.say(`fulfilment: shipping ${physical.length} paid physical orders; ${refunded.length} refunded and ${unpaid.length} unpaid ones must be refused (bounds: ${budget.maxTicks} timer ticks per stage, ${Math.round(budget.deadlineMs / 1000)} s)`);
  let shipped = 0;
  let crashing: Promise<void> = Promise.resolve();
  await pool(physical, options.concurrency, async (o) => {
    phase.attempts.push(...(await shipPaid(env, o, phase.plans[o._id])));
    // Not awaited here: the other staff keep shipping into the crash (their calls retry).
    if (++shipped === Math.ceil(physical.length / 2) && env.crash) crashing = env.crash();
  });
  await crashing;
  for (const o of refunded) phase.attempts.push(await ship(env, o._id, 'refunded', [parcel(o._id, 1)], {}, 10060004));
  for (const o of unpaid) phase.attempts.push(await ship(env, o._id, 'unpaid', [parcel(o._id, 1)], {}, 10060004));
  let mark = started;
  /** ms since the previous lap. */
  const lap = (): number => {
    const now = Date.now();
    const ms = now - mark;
    mark = now;
    return ms;
  };
  timings.shipMs = lap();
  env.say(`fulfilment: ${phase.attempts.length} shipOrder requests answered in ${(timings.shipMs / 1000).toFixed(1)} s`);

  // The timer sends what is still owed and delivers the virtual goods.
  const counter = { ticks: 0 };
  const notUploaded = (all: OrderLike[]): string | undefined => {
    const left = paidOrders(all).filter((o) => !o.fulfilment || o.fulfilment.status === 'PENDING' || o.fulfilment.outbox);
    return left.length ? `not uploaded: ${listFew(left)}` : undefined;
  };
  phase.unfinished = await tickUntil(env, 'uploads', budget.maxTicks, deadline, notUploaded, counter);
  timings.uploadsMs = lap();
  timings.uploadsTicks = counter.ticks;
  env.say(`fulfilment uploads: ${counter.ticks} timer ticks, ${(timings.uploadsMs / 1000).toFixed(1)} s${phase.unfinished ? ` (${phase.unfinished.slice(0, 80)})` : ''}`);

  // Half the customers confirm receipt themselves, half of those settled later (确认收货 first, which
  // the timer's poll sees); the platform's clock confirms and settles the rest.
  for (const o of paidOrders(await env.readOrders())) {
    if (prng.chance(0.5)) continue;
    const { status } = await postJson(`${env.cloudbaseUrl}/__emulator/platform/confirm`, { outTradeNo: o._id, by: 'customer', settle: prng.chance(0.5) }).catch(() => ({ status: 0 }));
    if (status === 200) phase.customerConfirmed += 1;
  }
  counter.ticks += 1;
  await trigger(env);
  await postJson(`${env.cloudbaseUrl}/__emulator/platform/fast-forward`, {}).catch(() => undefined);
  await postJson(`${env.cloudbaseUrl}/__emulator/platform/settle`, {}).catch(() => undefined);
  timings.confirmMs = lap();
  // Pushes dropped or duplicated: the timer's getOrder poll settles what the pushes did not.
  const notSettled = (all: OrderLike[]): string | undefined => {
    const left = paidOrders(all).filter((o) => o.fulfilment?.status !== 'SETTLED');
    return left.length ? `not settled: ${listFew(left)}` : undefined;
  };
  const before = counter.ticks;
  phase.unfinished ??= await tickUntil(env, 'settlement', budget.maxTicks, deadline, notSettled, counter);
  timings.settleMs = lap();
  timings.settleTicks = counter.ticks - before;
  env.say(`fulfilment settlement: ${timings.settleTicks} timer ticks, ${(timings.settleMs / 1000).toFixed(1)} s`);
  phase.ticks = counter.ticks;
  return phase;
}
