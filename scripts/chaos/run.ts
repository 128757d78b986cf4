/**
 * One chaos run: the local stack (CloudBase emulator in its own process), many concurrent customers
 * under a seeded fault mix, the emulator SIGKILLed and restarted mid-run, then the reconciliation
 * timer fired until nothing is pending, then every invariant checked (check.ts).
 *
 * Then, with every payment settled: the fulfilment phase (fulfilment.ts, checked by
 * fulfilment-check.ts) and the daily bill reconciliation of the run's days (bills.ts).
 *
 * Expiry: unpaid orders are expired by moving their `expiresAt` 1 s into the past through the
 * database wire once the customers are done (ORDER_EXPIRE_MINUTES is left alone), so a run takes
 * bounded time; late payers then race the timer that closes those orders.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createPrng } from '../../emulator/shared/prng';
import { chinaDateOf } from '../../lib/bills/days';
import { startLocalStack, type LocalStack } from '../local/stack';
import { checkBillDays, reconcileRunDays, runDays, type BillDayOutcome } from './bills';
import { checkInvariants, type LedgerTx, type StoredOrder, type StoredRefund } from './check';
import { PLATFORM_FAULTS, runFulfilment, type FulfilmentPhase, type FulfilmentTimings } from './fulfilment';
import { checkFulfilment, type FulfilmentOrder, type PlatformOrderLike } from './fulfilment-check';
import { actOut, CHAOS_STAFF_OPENID, newCustomer, payLate, PLAN_WEIGHTS, type CustomerRecord, type Plan } from './customers';
import { getJson, persist, postJson, type RetryPolicy } from './http';
import { readAll } from './snapshot';
import { notificationStats, type NotificationStats } from './stats';

export interface ChaosOptions {
  orders: number;
  seed: number;
  /** Customers in flight at once. */
  concurrency?: number;
  /** How many times the CloudBase emulator is SIGKILLed and restarted during the customer phase. */
  kills?: number;
  dataDir?: string;
  /** Every function and emulator log line. */
  log?: (line: string) => void;
  /** Every raw answer a client received. */
  onResponse?: (raw: string) => void;
  progress?: (message: string) => void;
  /** Timer ticks after the customers before pending work counts as not converging (default 200 + 1 per 50 orders). */
  maxReconcileTicks?: number;
  /** The fulfilment phase after the payments (default on). */
  fulfilment?: boolean;
  /** Timer ticks each fulfilment stage may take before it counts as not converging (default: scaled to the paid orders, fulfilment.ts phaseBudget). */
  maxFulfilmentTicks?: number;
  /**
   * How long staff keep retrying a retryable shipOrder answer (default 30 attempts, about 28 s): a
   * correction is refused as retryable while the first upload is still owed, so against a platform
   * that never answers each correction takes that long before staff give up.
   */
  staffPatience?: RetryPolicy;
  /** The platform's faults in the fulfilment phase (default PLATFORM_FAULTS). */
  platformFaults?: Partial<typeof PLATFORM_FAULTS>;
  /**
   * The simulator's faults, over SIM_FAULTS. A small run makes few WeChat Pay requests (about 100 at 30
   * orders): at 3 % a fault the test requires to be injected is missed about once in 20 runs.
   */
  simFaults?: Partial<typeof SIM_FAULTS>;
  /** The daily bill reconciliation of the run's days at the end (default on). */
  bills?: boolean;
  /** Bundle the functions first (default on); false when the caller's own stack just built them (the hygiene flow). */
  build?: boolean;
}

export const SIM_FAULTS = {
  dropNotifications: 0.25,
  duplicateNotifications: 2,
  concurrentDuplicates: true,
  notificationDelayMs: 50,
  reorderWindowMs: 400,
  signProbe: true,
  systemErrorRate: 0.05,
  frequencyLimitRate: 0.03,
  latencyMs: 15,
};
export const WRITE_FAILURE_RATE = 0.03;
const PENDING = { status: { $in: ['NOTPAY', 'PAYERROR'] } };
/** Orders with a step whose audit records the timer has not yet verified (its audit pass clears them: lib/orders/audit.ts). */
const AUDIT_PENDING = { auditPending: true };
/** Refunds still waiting for WeChat Pay's outcome (the timer queries them). */
const PENDING_REFUNDS = { status: 'PROCESSING' };
/** A refund step whose audit record or order bookkeeping the timer still has to finish (lib/refunds/reconcile.ts). */
const UNBOOKED_REFUNDS = { booked: false };

/** What the timer still has to do: the run converges when this is 0. */
async function pendingWork(stack: LocalStack): Promise<number> {
  const counts = await Promise.all([
    persist('count pending orders', () => stack.admin.count('orders', PENDING)),
    persist('count orders awaiting audit', () => stack.admin.count('orders', AUDIT_PENDING)),
    persist('count pending refunds', () => stack.admin.count('refunds', PENDING_REFUNDS)),
    persist('count unbooked refunds', () => stack.admin.count('refunds', UNBOOKED_REFUNDS)),
  ]);
  return counts.reduce((a, b) => a + b, 0);
}

export interface RefundStats {
  /** refundOrder requests staff made, and how they ended for staff. */
  requests: number;
  acknowledged: number;
  refused: number;
  gaveUp: number;
  /** refunds collection by status at the end. */
  succeeded: number;
  closed: number;
  processing: number;
  /** Orders fully refunded (REFUND) / partly refunded (SUCCESS with refundedTotal > 0). */
  fullyRefundedOrders: number;
  partlyRefundedOrders: number;
}

/** Faults actually injected (counted by the simulator and by each CloudBase emulator process). */
export interface InjectedFaults {
  systemError: number;
  frequencyLimited: number;
  latencyAdded: number;
  writeFailures: number;
}

export interface ChaosReport {
  orders: number;
  seed: number;
  plans: Record<Plan, number>;
  created: number;
  abandoned: number;
  paid: number;
  closed: number;
  payerror: number;
  refunds: RefundStats;
  notifications: NotificationStats;
  injected: InjectedFaults;
  /** The simulator's faults the run was configured with (SIM_FAULTS with options.simFaults over it). */
  simFaults: typeof SIM_FAULTS;
  kills: number;
  reconcileTicks: number;
  customerPhaseMs: number;
  convergeMs: number;
  totalMs: number;
  fulfilment?: FulfilmentReport;
  bills?: BillDayOutcome[];
  violations: string[];
  notes: string[];
}

export interface FulfilmentReport {
  plans: Record<string, number>;
  staffRequests: number;
  acknowledged: number;
  pendingAtAnswer: number;
  refusedAsExpected: number;
  virtualDelivered: number;
  settled: number;
  customerConfirmed: number;
  /** Orders whose fulfilment went through CONFIRMED (确认收货 seen before the settlement). */
  confirmedBeforeSettlement: number;
  ticks: number;
  timings: FulfilmentTimings;
  budget: FulfilmentPhase['budget'];
  /** SIGKILLs of the CloudBase emulator while staff were shipping. */
  kills: number;
  /** Counted by the emulated platform. */
  injected: { systemErrors: number; rateLimited: number; pushesDropped: number; pushesDuplicated: number; pushesSent: number };
  ms: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function setDbFaults(stack: LocalStack, rate: number, seed: number): Promise<void> {
  await persist('CloudBase faults', async () => {
    const { status } = await postJson(`${stack.cloudbaseUrl}/__emulator/faults`, rate > 0 ? { writeFailureRate: rate, seed } : {});
    if (status !== 200) throw new Error(`faults answered ${status}`);
  });
}

/** Write failures the current emulator process has injected since its faults were configured. */
async function dbWriteFailures(stack: LocalStack): Promise<number> {
  return persist('CloudBase fault counts', async () => {
    const res = await getJson(`${stack.cloudbaseUrl}/__emulator/faults`);
    const n = res?.injected?.writeFailures;
    if (typeof n !== 'number') throw new Error('GET /__emulator/faults has no injected.writeFailures');
    return n;
  });
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const say = options.progress ?? (() => undefined);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wxcloud-pay-chaos-'));
  const stack = await startLocalStack({
    dataDir,
    cloudbasePort: 0,
    simulatorPort: 0,
    timers: false,
    timeScale: 1000,
    seed: options.seed,
    cloudbaseProcess: true,
    build: options.build,
    functionTimeoutMs: 20_000,
    log: options.log ?? (() => undefined),
    functionEnv: {
      RECONCILE_MIN_AGE_SECONDS: '0',
      RECONCILE_BATCH_SIZE: '500',
      RECONCILE_CONCURRENCY: '10',
      RECONCILE_TIME_BUDGET_MS: '10000',
      // Merchant staff for the refund plan; PROCESSING refunds are queried by the timer at once.
      REFUND_ADMIN_OPENIDS: CHAOS_STAFF_OPENID,
      REFUND_RECONCILE_MIN_AGE_SECONDS: '0',
      // Fulfilment: owed uploads resent and shipped orders asked about (getOrder) on every tick.
      SHIPPING_CHECK_MIN_AGE_SECONDS: '0',
      SHIPPING_OUTBOX_MIN_AGE_SECONDS: '0',
    },
  });
  try {
    const env = { cloudbaseUrl: stack.cloudbaseUrl, simulatorUrl: stack.simulatorUrl, onResponse: options.onResponse };
    const simFaults = { ...SIM_FAULTS, ...options.simFaults };
    const prng = createPrng(options.seed);
    const customers = Array.from({ length: options.orders }, (_x, i) => newCustomer(i, options.seed, prng));
    const plans = Object.fromEntries(Object.keys(PLAN_WEIGHTS).map((p) => [p, customers.filter((c) => c.plan === p).length])) as Record<Plan, number>;

    await postJson(`${stack.simulatorUrl}/__sim/faults`, { ...simFaults, seed: options.seed });
    await setDbFaults(stack, WRITE_FAILURE_RATE, options.seed);
    say(`stack up (${Date.now() - started} ms); ${options.orders} customers, seed ${options.seed}`);

    // Customer phase, with the reconciliation timer ticking alongside and the emulator crashing.
    const kills = options.kills ?? 1;
    const killAt = new Set(Array.from({ length: kills }, (_x, k) => Math.floor(((k + 1) * options.orders) / (kills + 1))));
    let done = 0;
    let killed = 0;
    let crashing: Promise<void> = Promise.resolve();
    // Each emulator process counts its own injected failures and loses them when SIGKILLed: read
    // just before each kill (a failure injected in the few ms between is missed: a lower bound).
    let writeFailures = 0;
    let customersDone = false;
    // Cuts the ticker's pause short once the customers are done: the convergence loop below ticks at once,
    // so waiting out the rest of the 2 s would only add dead time to every run.
    let wakeTicker = (): void => undefined;
    const ticker = (async () => {
      // Every 2 s (the real timer fires every few minutes): enough to race notifications, not to swamp them.
      while (!customersDone) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 2000);
          wakeTicker = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (customersDone) break;
        await postJson(`${stack.cloudbaseUrl}/__emulator/trigger/queryOrder`, {}).catch(() => undefined);
      }
    })();
    const customerStart = Date.now();
    await pool(customers, options.concurrency ?? 16, async (c) => {
      const t0 = Date.now();
      await actOut(env, c);
      if (Date.now() - t0 > 60_000) say(`customer ${c.index} (${c.plan}) took ${Date.now() - t0} ms`);
      done += 1;
      if (killAt.has(done) && stack.cloudbaseProcess) {
        killed += 1;
        say(`SIGKILL the CloudBase emulator (pid ${stack.cloudbaseProcess.pid()}) after ${done} customers`);
        const proc = stack.cloudbaseProcess;
        crashing = crashing.then(async () => {
          writeFailures += await dbWriteFailures(stack);
          await proc.kill('SIGKILL');
          await sleep(300);
          await proc.restart();
          await setDbFaults(stack, WRITE_FAILURE_RATE, options.seed + killed);
        });
      }
      if (done % 200 === 0) say(`${done}/${options.orders} customers done`);
    });
    await crashing;
    customersDone = true;
    wakeTicker();
    await ticker;
    const customerPhaseMs = Date.now() - customerStart;
    say(`customers done in ${customerPhaseMs} ms; waiting for deliveries to settle`);

    // Deliveries settle (delivered or given up); then what payNotify acknowledged must be in the database.
    await waitFor('notifications to settle', settleTimeoutMs(options.orders), async () => {
      const { notifications } = await getJson(`${stack.simulatorUrl}/__sim/notifications`);
      return !notifications.some((n: { state: string }) => n.state === 'pending');
    });
    const settledDeliveries = (await getJson(`${stack.simulatorUrl}/__sim/notifications`)).notifications;
    const acknowledged = new Set<string>(settledDeliveries.filter((d: { state: string; event_type: string }) => d.state === 'delivered' && d.event_type === 'TRANSACTION.SUCCESS').map((d: { out_trade_no: string }) => d.out_trade_no));
    const statusAtSettle = new Map((await persist('read orders', () => readAll(stack.admin, 'orders'))).map((o) => [String(o._id), String(o.status)]));

    // Expire every unpaid order, then late payers race the timer that closes them.
    const convergeStart = Date.now();
    await persist('expire unpaid orders', () => stack.admin.send('database.modifyDocument', {
      collectionName: 'orders', queryType: 'WHERE', multi: true, merge: true, upsert: false,
      query: JSON.stringify({ status: { $in: ['NOTPAY', 'PAYERROR'] } }),
      data: JSON.stringify({ $set: { expiresAt: { $date: { $numberLong: String(Date.now() - 1000) } } } }),
    }));
    let lateDone = false;
    const late = pool(customers.filter((c) => c.plan === 'latePay'), 8, (c) => payLate(env, c)).then(() => {
      lateDone = true;
    });
    let ticks = 0;
    // The late payers pay while the timer ticks: their number (about a tenth of the orders) sets how many ticks that takes.
    const maxTicks = options.maxReconcileTicks ?? 200 + Math.ceil(options.orders / 50);
    for (;;) {
      ticks += 1;
      await postJson(`${stack.cloudbaseUrl}/__emulator/trigger/queryOrder`, {}).catch(() => undefined);
      // PAYERROR is still payable at WeChat Pay: pending until it is closed too.
      if ((await pendingWork(stack)) === 0 && lateDone) break;
      if (ticks >= maxTicks) break;
    }
    await late;
    // A late payment that slipped in after the last tick is caught by one more settled tick.
    await waitFor('late notifications to settle', settleTimeoutMs(options.orders), async () => {
      const { notifications } = await getJson(`${stack.simulatorUrl}/__sim/notifications`);
      return !notifications.some((n: { state: string }) => n.state === 'pending');
    });
    for (let i = 0; i < 3 && (await pendingWork(stack)) > 0; i++) {
      ticks += 1;
      await postJson(`${stack.cloudbaseUrl}/__emulator/trigger/queryOrder`, {});
    }
    const convergeMs = Date.now() - convergeStart;

    // Final check with the faults off, so reading the evidence cannot itself be faulted.
    writeFailures += await dbWriteFailures(stack);
    await setDbFaults(stack, 0, options.seed);
    const simInjected = (await getJson(`${stack.simulatorUrl}/__sim/faults`)).injected;
    const orders = (await readAll(stack.admin, 'orders')) as unknown as StoredOrder[];
    const events = await readAll(stack.admin, 'payment_events', { kind: 'transition' });
    const transitionEvents = new Map<string, number>();
    for (const e of events) transitionEvents.set(String(e.outTradeNo), (transitionEvents.get(String(e.outTradeNo)) ?? 0) + 1);
    const refunds = (await readAll(stack.admin, 'refunds')) as unknown as StoredRefund[];
    const refundEvents = new Map<string, number>();
    for (const e of await readAll(stack.admin, 'payment_events', { kind: 'refund' })) refundEvents.set(String(e._id), (refundEvents.get(String(e._id)) ?? 0) + 1);
    const ledger = (await getJson(`${stack.simulatorUrl}/__sim/transactions`)).transactions as LedgerTx[];
    const deliveries = (await getJson(`${stack.simulatorUrl}/__sim/notifications`)).notifications;
    const { violations, notes } = checkInvariants({
      customers: customers as CustomerRecord[],
      orders,
      ledger,
      transitionEvents,
      acknowledgedNotifications: acknowledged,
      statusAtSettle,
      now: Date.now(),
      refunds,
      refundEvents,
    });
    const fulfilment = options.fulfilment === false ? undefined : await fulfilmentPhase(stack, options, say, violations);
    writeFailures += fulfilment?.writeFailures ?? 0;
    let bills: BillDayOutcome[] | undefined;
    if (options.bills !== false) {
      // Faults stay on: an API error fails a run (FAILED), which is run again.
      const days = runDays(ledger.map((t) => t.success_time ?? null), (await getJson(`${stack.simulatorUrl}/__sim/clock`)).now);
      say(`reconciling the bills of ${days.join(', ')}`);
      bills = await reconcileRunDays(stack.cloudbaseUrl, stack.simulatorUrl, days, options.onResponse);
      const paymentDays = new Set(ledger.filter((t) => t.success_time).map((t) => chinaDateOf(Date.parse(t.success_time!))));
      violations.push(...checkBillDays(bills, paymentDays));
    }
    const attempts = customers.flatMap((c) => c.refunds ?? []);
    return {
      orders: options.orders,
      seed: options.seed,
      simFaults,
      plans,
      created: customers.filter((c) => c.outTradeNo).length,
      abandoned: customers.filter((c) => c.gaveUp).length,
      paid: orders.filter((o) => o.status === 'SUCCESS').length,
      closed: orders.filter((o) => o.status === 'CLOSED').length,
      payerror: orders.filter((o) => o.status === 'PAYERROR').length,
      refunds: {
        requests: attempts.length,
        acknowledged: attempts.filter((a) => a.answer === 'ok').length,
        refused: attempts.filter((a) => a.answer === 'refused').length,
        gaveUp: attempts.filter((a) => a.answer === 'gaveUp').length,
        succeeded: refunds.filter((r) => r.status === 'SUCCESS').length,
        closed: refunds.filter((r) => r.status === 'CLOSED').length,
        processing: refunds.filter((r) => r.status === 'PROCESSING').length,
        fullyRefundedOrders: orders.filter((o) => o.status === 'REFUND').length,
        partlyRefundedOrders: orders.filter((o) => o.status === 'SUCCESS' && (o.refundedTotal ?? 0) > 0).length,
      },
      notifications: notificationStats(deliveries),
      injected: {
        systemError: simInjected.systemError,
        frequencyLimited: simInjected.frequencyLimited,
        latencyAdded: simInjected.latencyAdded,
        writeFailures,
      },
      kills: killed,
      ...(fulfilment ? { fulfilment: fulfilment.report } : {}),
      ...(bills ? { bills } : {}),
      reconcileTicks: ticks,
      customerPhaseMs,
      convergeMs,
      totalMs: Date.now() - started,
      violations,
      notes: [
        ...notes,
        ...customers.filter((c) => c.gaveUp).map((c) => `customer ${c.index} (${c.plan}) gave up: ${c.gaveUp}`),
        ...customers.flatMap((c) => (c.refunds ?? []).filter((a) => a.answer === 'gaveUp').map((a) => `staff gave up refund ${a.requestKey} of customer ${c.index}: ${a.reason}`)),
      ],
    };
  } finally {
    await stack.close();
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** How long the simulator's deliveries may take to settle: retries are spread over (scaled) time, and more orders mean more of them queued. */
const settleTimeoutMs = (orders: number): number => 180_000 + 30 * orders;

async function waitFor(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    // Deliveries are retried on the simulator's scaled schedule (tens of ms): a finer poll than that only costs requests.
    await sleep(50);
  }
}

/** Ship, deliver, confirm and settle with the platform's faults and the write failures on; then check. */
async function fulfilmentPhase(stack: LocalStack, options: ChaosOptions, say: (m: string) => void, violations: string[]): Promise<{ report: FulfilmentReport; writeFailures: number }> {
  const started = Date.now();
  const setPlatformFaults = (seed: number) => persist('platform faults', async () => {
    const { status } = await postJson(`${stack.cloudbaseUrl}/__emulator/platform/faults`, { ...(options.platformFaults ?? PLATFORM_FAULTS), seed });
    if (status !== 200) throw new Error(`platform faults answered ${status}`);
  });
  await setDbFaults(stack, WRITE_FAILURE_RATE, options.seed + 1000);
  await setPlatformFaults(options.seed);
  // Each emulator process counts its own injections: summed over the crash.
  const injected: FulfilmentReport['injected'] = { systemErrors: 0, rateLimited: 0, pushesDropped: 0, pushesDuplicated: 0, pushesSent: 0 };
  const countInjected = async (): Promise<void> => {
    const now = (await getJson(`${stack.cloudbaseUrl}/__emulator/platform/faults`).catch(() => ({}))).injected ?? {};
    for (const k of Object.keys(injected) as (keyof typeof injected)[]) injected[k] += Number(now[k] ?? 0);
  };
  let writeFailuresBefore = 0;
  let kills = 0;
  const proc = stack.cloudbaseProcess;
  // One SIGKILL while staff are shipping (when the run has kills at all): calls cut between our write
  // and WeChat's answer must be finished by the outbox, exactly once.
  const crash = proc && (options.kills ?? 1) > 0 ? async () => {
    await countInjected();
    writeFailuresBefore += await dbWriteFailures(stack);
    say(`SIGKILL the CloudBase emulator (pid ${proc.pid()}) while staff are shipping`);
    await proc.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    await proc.restart();
    kills += 1;
    await setDbFaults(stack, WRITE_FAILURE_RATE, options.seed + 2000);
    await setPlatformFaults(options.seed + 1);
  } : undefined;
  const readOrders = async () => (await persist('read orders', () => readAll(stack.admin, 'orders'))) as unknown as FulfilmentOrder[];
  let phase: FulfilmentPhase;
  try {
    phase = await runFulfilment({ cloudbaseUrl: stack.cloudbaseUrl, readOrders, say, onResponse: options.onResponse, crash, staffPatience: options.staffPatience }, createPrng(options.seed + 1), {
      maxTicks: options.maxFulfilmentTicks, concurrency: Math.min(8, options.concurrency ?? 16),
    });
  } finally {
    // Counted before the faults go off (setting them resets the counts).
    await countInjected();
    await postJson(`${stack.cloudbaseUrl}/__emulator/platform/faults`, {}).catch(() => undefined);
  }
  const writeFailures = writeFailuresBefore + (await dbWriteFailures(stack));
  await setDbFaults(stack, 0, options.seed);
  const orders = await readOrders();
  const platform = (await getJson(`${stack.cloudbaseUrl}/__emulator/platform/orders`)).orders as PlatformOrderLike[];
  violations.push(...checkFulfilment({ orders, platform, attempts: phase.attempts, plans: phase.plans, unfinished: phase.unfinished }));
  const paid = orders.filter((o) => o.status === 'SUCCESS');
  const plans: Record<string, number> = {};
  for (const p of Object.values(phase.plans)) plans[p] = (plans[p] ?? 0) + 1;
  return {
    writeFailures,
    report: {
      plans,
      staffRequests: phase.attempts.length,
      acknowledged: phase.attempts.filter((a) => a.answer === 'ok').length,
      pendingAtAnswer: phase.attempts.filter((a) => a.pendingUpload).length,
      refusedAsExpected: phase.attempts.filter((a) => a.expectRefusal !== undefined && a.wxErrcode === a.expectRefusal).length,
      virtualDelivered: paid.filter((o) => o.fulfilment?.kind === 'virtual' && (o.fulfilment.shipments.length ?? 0) > 0).length,
      settled: paid.filter((o) => o.fulfilment?.status === 'SETTLED').length,
      customerConfirmed: phase.customerConfirmed,
      confirmedBeforeSettlement: paid.filter((o) => o.fulfilment?.history.some((t) => t.to === 'CONFIRMED')).length,
      ticks: phase.ticks,
      timings: phase.timings,
      budget: phase.budget,
      kills,
      injected,
      ms: Date.now() - started,
    },
  };
}
