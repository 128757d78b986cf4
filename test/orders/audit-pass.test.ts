/**
 * The timer's audit pass (lib/orders/audit.ts) against the real pieces: the unmodified wx-server-sdk
 * on the CloudBase emulator. `auditPending: true` means "records not yet verified by the timer": the
 * request path writes its records and leaves the mark; the pass verifies marked orders in batches,
 * writes what a failed caller left, and clears a mark only while the order is exactly as it read it.
 * Faults and races are made by delegating wrappers around the real database handle (every call still
 * reaches the emulator), never by mocks.
 */
import { createOrder } from '../../lib/orders/create';
import type { OrderDeps } from '../../lib/orders/deps';
import { finishAudits, type AuditSummary } from '../../lib/orders/audit';
import type { Order } from '../../lib/orders/model';
import { reconcile } from '../../lib/orders/reconcile';
import { loadOrderSettings } from '../../lib/orders/settings';
import { applyTransition } from '../../lib/orders/sync';
import { applyTradeState } from '../../lib/orders/transition';
import { COLLECTIONS } from '../../lib/store/collections';
import type { Database } from '../../lib/store/db';
import type { Harness } from '../cloudbase/helpers';
import { failingOnce, overridingCollection } from '../support/failing-db';
import { startOrderWorld, type OrderWorld } from '../support/order-world';

jest.setTimeout(60_000);

const OPENID = 'oAUDITPASS000000000000001';
let clock = Date.now();
let cb: Harness;
let deps: OrderDeps;
let world: OrderWorld;

beforeAll(async () => {
  world = await startOrderWorld({
    deps: { settings: loadOrderSettings({ RECONCILE_MIN_AGE_SECONDS: '60', RECONCILE_TIME_BUDGET_MS: '60000' }), now: () => clock },
  });
  ({ cb, deps } = world);
});
afterAll(() => world?.close());

/** Every test starts with no marked order left by an earlier one. */
beforeEach(async () => {
  clock += 120_000;
  await reconcile(deps);
  clock += 1_000;
});

const orderOf = async (no: string): Promise<Order> => (await cb.db.collection(COLLECTIONS.orders).doc(no).get()).data as Order;
const recordsOf = async (no: string) => (await cb.db.collection(COLLECTIONS.paymentEvents).where({ outTradeNo: no, kind: 'transition' }).get()).data;
const newOrder = async (quantity = 1): Promise<string> => (await createOrder(deps, OPENID, { kind: 'new', items: [{ productId: 'tea', quantity }] })).outTradeNo;
const paid = (no: string, quantity = 1) => ({ out_trade_no: no, trade_state: 'SUCCESS', transaction_id: `42000${no}`, amount: { total: 1200 * quantity, currency: 'CNY' }, payer: { openid: OPENID } });
/** A step whose caller died right after the conditional update: marked, no record. */
const stepOnly = (no: string, tradeState: string, now = clock) => applyTradeState(deps.db, no, { tradeState, transactionId: tradeState === 'SUCCESS' ? `42000${no}` : undefined }, { source: 'notify', now });
const emptySummary = (): AuditSummary => ({ audited: 0, verified: 0, failed: 0, truncated: false });

/** The real handle, except that `hook` runs once, just before the first read of `collection`. */
function beforeFirstRead(db: Database, collection: string, hook: () => Promise<unknown>): Database {
  let armed = true;
  return overridingCollection(db, collection, (real) => ({
    where: (condition: Record<string, unknown>) => {
      const query = real.where(condition);
      return Object.assign(Object.create(query), {
        field: (projection: Record<string, unknown>) => {
          const projected = query.field(projection);
          return Object.assign(Object.create(projected), {
            limit: (n: number) => {
              const page = projected.limit(n);
              return Object.assign(Object.create(page), {
                get: async () => {
                  if (armed) {
                    armed = false;
                    await hook();
                  }
                  return page.get();
                },
              });
            },
          });
        },
      });
    },
  }));
}

/** The real handle, counting the requests made through it by kind. */
function counting(db: Database): { db: Database; counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  const tally = (kind: string) => (counts[kind] = (counts[kind] ?? 0) + 1);
  const wrap = <T extends object>(target: T): T => new Proxy(target, {
    get(t, key, receiver) {
      const value = Reflect.get(t, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (key === 'get' || key === 'update' || key === 'add' || key === 'count') tally(String(key));
        const out = value.apply(t, args);
        return out && typeof out === 'object' && !(out instanceof Promise) ? wrap(out) : out;
      };
    },
  });
  return { db: { command: db.command, collection: (name: string) => wrap(db.collection(name)) } as Database, counts };
}

it('the request path writes its records before it answers and leaves the mark; the next tick verifies it and writes nothing', async () => {
  const no = await newOrder();
  const result = await applyTransition(deps, no, 'notify', paid(no), { guess: 'NOTPAY' });
  expect(result.applied).toBe(true);
  expect(await recordsOf(no)).toEqual([expect.objectContaining({ _id: `transition:${no}:NOTPAY:SUCCESS`, source: 'notify' })]);
  expect((await orderOf(no)).auditPending).toBe(true);

  // Younger than the minimum age: left alone (its caller may still be writing).
  expect((await reconcile(deps)).verified).toBe(0);
  expect((await orderOf(no)).auditPending).toBe(true);

  clock += 61_000;
  const summary = await reconcile(deps);
  expect(summary).toMatchObject({ verified: 1, audited: 0, failed: 0 });
  expect((await orderOf(no)).auditPending).toBe(false);
  expect(await recordsOf(no)).toHaveLength(1);
});

it('one pass: a marked order whose record is missing gets it, one whose record exists keeps it as written; both are cleared', async () => {
  const missing = await newOrder(2);
  const written = await newOrder(3);
  await stepOnly(missing, 'SUCCESS');
  await applyTransition(deps, written, 'query', paid(written, 3), { guess: 'NOTPAY' });
  const before = await recordsOf(written);
  expect(await recordsOf(missing)).toEqual([]);
  expect([(await orderOf(missing)).auditPending, (await orderOf(written)).auditPending]).toEqual([true, true]);

  clock += 61_000;
  const summary = await reconcile(deps);
  expect(summary).toMatchObject({ audited: 1, verified: 2, failed: 0 });
  expect(await recordsOf(missing)).toEqual([expect.objectContaining({ _id: `transition:${missing}:NOTPAY:SUCCESS`, source: 'notify', tradeState: 'SUCCESS', transactionId: `42000${missing}`, amountTotal: 2400 })]);
  expect(await recordsOf(written)).toEqual(before);
  expect([(await orderOf(missing)).auditPending, (await orderOf(written)).auditPending]).toEqual([false, false]);
});

it('an order that moves on between the pass reading it and clearing it keeps its mark until the later step is verified', async () => {
  const no = await newOrder(4);
  const stepAt = clock;
  await stepOnly(no, 'CLOSED', stepAt);
  clock += 61_000;
  // Between the pass's read of the orders and its clear, a payment for the closed order is applied
  // by a caller that dies before writing its record — at the very same ms, so only the status tells.
  const racing = beforeFirstRead(deps.db, COLLECTIONS.paymentEvents, () => stepOnly(no, 'SUCCESS', stepAt));
  const first = await reconcile({ ...deps, db: racing });
  expect(first.audited).toBe(1); // the CLOSED record it read about
  const moved = await orderOf(no);
  expect(moved).toMatchObject({ status: 'SUCCESS', auditPending: true });
  expect(new Date(moved.updatedAt).getTime()).toBe(stepAt);
  expect((await recordsOf(no)).map((r: { _id: string }) => r._id)).toEqual([`transition:${no}:NOTPAY:CLOSED`]);

  const second = await reconcile(deps);
  expect(second).toMatchObject({ audited: 1, verified: 1 });
  expect((await recordsOf(no)).map((r: { _id: string }) => r._id).sort()).toEqual([`transition:${no}:CLOSED:SUCCESS`, `transition:${no}:NOTPAY:CLOSED`]);
  expect((await orderOf(no)).auditPending).toBe(false);
});

it('pages through every marked order in one tick, batch after batch, however many share one updatedAt', async () => {
  const nos: string[] = [];
  for (let i = 0; i < 7; i++) nos.push(await newOrder(5));
  for (const no of nos) await stepOnly(no, 'CLOSED', clock); // all seven at the same ms
  clock += 61_000;
  const small = { ...deps, settings: { ...deps.settings, reconcileBatchSize: 2 } };
  const summary = await reconcile(small);
  expect(summary).toMatchObject({ audited: 7, verified: 7, failed: 0, truncated: false });
  for (const no of nos) {
    expect((await orderOf(no)).auditPending).toBe(false);
    expect(await recordsOf(no)).toHaveLength(1);
  }
});

it('a batch costs a fixed handful of requests however many orders it holds: 3, and 4 when records are missing', async () => {
  const cost = async (n: number, recorded: boolean): Promise<Record<string, number>> => {
    const nos: string[] = [];
    for (let i = 0; i < n; i++) nos.push(await newOrder(6));
    for (const no of nos) {
      if (recorded) await applyTransition(deps, no, 'notify', paid(no, 6), { guess: 'NOTPAY' });
      else await stepOnly(no, 'SUCCESS');
    }
    clock += 61_000;
    const c = counting(deps.db);
    const summary = emptySummary();
    await finishAudits({ ...deps, db: c.db }, new Date(clock - 60_000), clock + 60_000, summary);
    expect(summary).toMatchObject({ verified: n, audited: recorded ? 0 : n, failed: 0 });
    return c.counts;
  };
  expect(await cost(3, true)).toEqual({ get: 2, update: 1 });
  expect(await cost(40, true)).toEqual({ get: 2, update: 1 });
  expect(await cost(40, false)).toEqual({ get: 2, add: 1, update: 1 });
});

it('a batch whose record write fails stays marked and is finished by the next tick', async () => {
  const no = await newOrder(7);
  await stepOnly(no, 'SUCCESS');
  clock += 61_000;
  const first = await reconcile({ ...deps, db: failingOnce(deps.db, COLLECTIONS.paymentEvents, 'transition:') });
  expect(first).toMatchObject({ failed: 1, verified: 0 });
  expect((await orderOf(no)).auditPending).toBe(true);
  expect(await recordsOf(no)).toEqual([]);

  const second = await reconcile(deps);
  expect(second).toMatchObject({ audited: 1, verified: 1, failed: 0 });
  expect(await recordsOf(no)).toHaveLength(1);
  expect((await orderOf(no)).auditPending).toBe(false);
});
