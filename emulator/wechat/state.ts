// All mutable simulator state in one resettable object. Handlers receive it; nothing is global.
import { randomInt } from 'node:crypto';
import { generateCredentials, type DevCredentials } from '../credentials';
import { createClock, type SimClock } from './clock';
import type { Faults } from './faults';
import { createPlatform, type Platform } from './platform';
import { createPrng, type Prng } from '../shared/prng';
import { createScheduler, type Scheduler } from './scheduler';
import type { Delivery, LoginCode, Merchant, Order, Refund } from './types';

export interface StateOptions {
  /** The dev merchant + platform key; generated in memory when omitted (tests). */
  credentials?: DevCredentials;
  /** Divides every notification retry delay (and the refund processing delay): 1 = real time. */
  timeScale?: number;
  /** https origin registered in notify_url → local base URL that actually receives the POST. */
  notifyRedirects?: Record<string, string>;
  /** PRNG seed for fault injection (default: random, reported by GET /__sim/faults). */
  seed?: number;
  /** Base clock (ms epoch), default Date.now. */
  clock?: () => number;
  /** Business-clock seconds a refund stays PROCESSING before its outcome (default 5). */
  refundDelaySeconds?: number;
  /** Per-attempt HTTP timeout for notifications, real ms (default 5000, as WeChat). */
  deliveryTimeoutMs?: number;
}

/** The collections that grow with the orders: saved per changed entry (persist.ts JOURNALED). */
export type JournaledField = 'orders' | 'transactions' | 'prepays' | 'refunds' | 'loginCodes' | 'deliveries';

export interface SimState {
  readonly credentials: DevCredentials;
  readonly clock: SimClock;
  /** Business time, ms epoch (drives prepay expiry, time_expire, success_time, schedules). */
  now(): number;
  readonly timeScale: number;
  readonly notifyRedirects: Record<string, string>;
  readonly refundDelaySeconds: number;
  readonly deliveryTimeoutMs: number;
  merchants: Map<string, Merchant>;
  platform: Platform;
  /** key `${mchid}:${out_trade_no}` */
  orders: Map<string, Order>;
  /** transaction_id → order key */
  transactions: Map<string, string>;
  /** prepay_id → order key */
  prepays: Map<string, string>;
  /** key `${mchid}:${out_refund_no}` */
  refunds: Map<string, Refund>;
  loginCodes: Map<string, LoginCode>;
  deliveries: Delivery[];
  faults: Faults;
  seed: number;
  prng: Prng;
  scheduler: Scheduler;
  /** Aborts for notification requests in flight (close() cuts them). */
  inflight: Set<() => void>;
  /** Resolves once every change made so far is durable (index.ts installs store.ts when there is a data dir). */
  persist(): Promise<void>;
  /**
   * Marks one entry of a journaled collection (by its map key, or a delivery's id) as changed, so the
   * next commit writes it. Whatever adds, changes or removes such an entry calls it; the small fields
   * are compared by the store itself. A no-op without a data dir.
   */
  changed(field: JournaledField, key: string): void;
  /** Resolves once no write is in flight; starts none (what a read-only answer waits for). */
  durable(): Promise<void>;
  /** Back to a fresh start: same credentials and options, no orders, no faults, clock offset 0. */
  reset(): void;
  /** Stops timers and in-flight deliveries. */
  close(): void;
  /** Resolves once nothing is in flight and nothing is due within `horizonMs` real ms (default
   *  1000): lets tests wait for deliveries and compressed retries without fixed sleeps. */
  settled(horizonMs?: number): Promise<void>;
}

export const orderKey = (mchid: string, outTradeNo: string): string => `${mchid}:${outTradeNo}`;

function merchantFrom(c: DevCredentials): Merchant {
  return { mchid: c.mchid, appids: new Set([c.appid]), serialNo: c.merchant.serialNo, publicKeyPem: c.merchant.publicKey, apiV3Key: c.apiV3Key };
}

export function createState(opts: StateOptions = {}): SimState {
  const timeScale = opts.timeScale ?? 1;
  if (!Number.isFinite(timeScale) || timeScale <= 0) throw new RangeError('timeScale must be a finite number > 0');
  for (const [origin, base] of Object.entries(opts.notifyRedirects ?? {})) {
    if (!/^https:\/\/[^/?#]+$/.test(origin)) throw new Error(`notifyRedirects key "${origin}" must be an https origin (https://host[:port])`);
    if (!/^http:\/\//.test(base)) throw new Error(`notifyRedirects["${origin}"] must be a local http base URL, got "${base}"`);
  }
  const credentials = opts.credentials ?? generateCredentials();
  const clock = createClock(opts.clock);
  const initialSeed = opts.seed ?? randomInt(2 ** 31);
  const state = {
    credentials,
    clock,
    now: () => clock.now(),
    timeScale,
    notifyRedirects: { ...(opts.notifyRedirects ?? {}) },
    refundDelaySeconds: opts.refundDelaySeconds ?? 5,
    deliveryTimeoutMs: opts.deliveryTimeoutMs ?? 5000,
    inflight: new Set<() => void>(),
  } as SimState;
  state.persist = () => Promise.resolve();
  state.changed = () => undefined;
  state.durable = () => Promise.resolve();
  (state as { scheduler: Scheduler }).scheduler = createScheduler(() => clock.now(), () => state.persist());

  state.reset = () => {
    state.scheduler.clear();
    for (const abort of state.inflight) abort();
    clock.reset();
    state.merchants = new Map([[credentials.mchid, merchantFrom(credentials)]]);
    state.platform = createPlatform(credentials, clock.now());
    state.orders = new Map();
    state.transactions = new Map();
    state.prepays = new Map();
    state.refunds = new Map();
    state.loginCodes = new Map();
    state.deliveries = [];
    state.faults = {};
    state.seed = initialSeed;
    state.prng = createPrng(initialSeed);
  };
  state.close = () => {
    state.scheduler.stop();
    for (const abort of state.inflight) abort();
  };
  state.settled = (horizonMs?: number) => state.scheduler.idle(horizonMs);
  state.reset();
  return state;
}
