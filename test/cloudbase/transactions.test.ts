/**
 * Transactions through the real wx-server-sdk: runTransaction and startTransaction/commit/rollback,
 * with conflicting writers: write locks (a second transaction's write fails at once, a plain write
 * waits), commit-time conflicts retried by runTransaction, no lost update.
 * Also the fault-injection control.
 */
import fs from 'node:fs';
import { EnvStore, idKey } from '../../emulator/cloudbase/store';
import { TxnManager, TXN_TTL_MS } from '../../emulator/cloudbase/transactions';
import { postJson, startHarness, tempDir, type Harness } from './helpers';

let h: Harness;
let _: any;

beforeAll(async () => {
  h = await startHarness();
  _ = h.db.command;
  await h.db.createCollection('accounts');
});
afterAll(() => h.stop());

test('runTransaction: 12 concurrent read-modify-writes of one document — the first writer locks it, the others fail at once (not retried, as with the real SDK), no update lost or doubled', async () => {
  await h.db.collection('accounts').doc('counter').set({ data: { n: 0 } });
  const bump = () =>
    h.db.runTransaction(async (t: any) => {
      const { data } = await t.collection('accounts').doc('counter').get();
      await t.collection('accounts').doc('counter').update({ data: { n: data.n + 1 } });
    }, 50);
  const results = await Promise.allSettled(Array.from({ length: 12 }, bump));
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  expect(ok).toBeGreaterThanOrEqual(1);
  expect((await h.db.collection('accounts').doc('counter').get()).data.n).toBe(ok);
  for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ errCode: -501001, errMsg: expect.stringContaining('is locked by another transaction') });
});

test('runTransaction retries a commit-time conflict (a plain write changed what it read): times = 3 gives at most 4 executions, as wx-server-sdk 4.0.2 counts', async () => {
  await h.db.collection('accounts').doc('hot').set({ data: { n: 0 } });
  let runs = 0;
  await h.db.runTransaction(async (t: any) => {
    runs++;
    const { data } = await t.collection('accounts').doc('hot').get();
    if (runs === 1) await h.db.collection('accounts').doc('hot').update({ data: { n: _.inc(100) } });
    await t.collection('accounts').doc('hot').update({ data: { n: data.n + 1 } });
  });
  expect(runs).toBe(2);
  expect((await h.db.collection('accounts').doc('hot').get()).data.n).toBe(101);

  let always = 0;
  const never = h.db.runTransaction(async (t: any) => {
    always++;
    const { data } = await t.collection('accounts').doc('hot').get();
    await h.db.collection('accounts').doc('hot').update({ data: { n: _.inc(1) } });
    await t.collection('accounts').doc('hot').update({ data: { n: data.n, attempt: always } });
  }, 3);
  await expect(never).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
  expect(always).toBe(4);
});

test('runTransaction: a transfer is all-or-nothing and rollback(reason) rejects with the reason, changing nothing', async () => {
  await h.db.collection('accounts').doc('a').set({ data: { bal: 100 } });
  await h.db.collection('accounts').doc('b').set({ data: { bal: 0 } });
  await h.db.runTransaction(async (t: any) => {
    await t.collection('accounts').doc('a').update({ data: { bal: _.inc(-30) } });
    await t.collection('accounts').doc('b').update({ data: { bal: _.inc(30) } });
  });
  await expect(
    h.db.runTransaction(async (t: any) => {
      await t.collection('accounts').doc('a').update({ data: { bal: _.inc(-1000) } });
      await t.rollback('insufficient');
    }),
  ).rejects.toBe('insufficient');
  expect((await h.db.collection('accounts').doc('a').get()).data.bal).toBe(70);
  expect((await h.db.collection('accounts').doc('b').get()).data.bal).toBe(30);
});

test('startTransaction: writes are invisible outside until commit; a plain write to a locked document waits for the commit, then applies', async () => {
  await h.db.collection('accounts').doc('s').set({ data: { v: 1 } });
  const t1 = await h.db.startTransaction();
  const seen = await t1.collection('accounts').doc('s').get();
  expect(seen.data.v).toBe(1);
  await t1.collection('accounts').doc('s').update({ data: { v: 2 } });
  expect((await h.db.collection('accounts').doc('s').get()).data.v).toBe(1);
  // A plain update of the document t1 locked blocks until t1 ends ("普通的更新操作会被阻塞").
  let plainDone = false;
  const plain = h.db.collection('accounts').doc('s').update({ data: { v: _.inc(8) } }).then(() => (plainDone = true));
  await h.db.collection('accounts').doc('other').set({ data: { v: 0 } }); // a round trip: the plain update had time to run
  expect(plainDone).toBe(false);
  await t1.commit();
  await plain;
  expect((await h.db.collection('accounts').doc('s').get()).data.v).toBe(10);

  const t2 = await h.db.startTransaction();
  await t2.collection('accounts').doc('s').update({ data: { v: _.inc(1) } });
  await t2.commit();
  expect((await h.db.collection('accounts').doc('s').get()).data.v).toBe(11);

  const t3 = await h.db.startTransaction();
  await t3.collection('accounts').add({ data: { _id: 'from-t3' } });
  await t3.rollback();
  await expect(h.db.collection('accounts').doc('from-t3').get()).rejects.toBeDefined();
});

test('two transactions inserting the same _id: the second insert fails at once (the first holds the lock); exactly one commits', async () => {
  const t1 = await h.db.startTransaction();
  const t2 = await h.db.startTransaction();
  await t1.collection('accounts').add({ data: { _id: 'once', by: 1 } });
  await expect(t2.collection('accounts').add({ data: { _id: 'once', by: 2 } })).rejects.toMatchObject({ errMsg: expect.stringContaining('is locked by another transaction') });
  await t1.commit();
  await t2.rollback();
  expect((await h.db.collection('accounts').doc('once').get()).data.by).toBe(1);
});

describe('fault injection', () => {
  afterEach(() => postJson(`${h.emu.url}/__emulator/faults`, {}));

  test('writeFailureRate 1 makes every write fail with -502001 and changes nothing; reads still work; {} clears', async () => {
    await h.db.collection('accounts').doc('f').set({ data: { v: 1 } });
    const set = await postJson(`${h.emu.url}/__emulator/faults`, { writeFailureRate: 1, seed: 7 });
    expect(set.json.faults).toEqual({ writeFailureRate: 1, seed: 7 });
    await expect(h.db.collection('accounts').doc('f').update({ data: { v: 2 } })).rejects.toMatchObject({ errCode: -502001 });
    await expect(h.db.collection('accounts').add({ data: { v: 3 } })).rejects.toMatchObject({ errCode: -502001 });
    expect((await h.db.collection('accounts').doc('f').get()).data.v).toBe(1);
    await postJson(`${h.emu.url}/__emulator/faults`, {});
    await h.db.collection('accounts').doc('f').update({ data: { v: 2 } });
    expect((await h.db.collection('accounts').doc('f').get()).data.v).toBe(2);
  });

  test('the same seed fails the same writes', async () => {
    const run = async () => {
      await postJson(`${h.emu.url}/__emulator/faults`, { writeFailureRate: 0.5, seed: 42 });
      const out: boolean[] = [];
      for (let i = 0; i < 12; i++) out.push(await h.db.collection('accounts').add({ data: { i } }).then(() => true, () => false));
      return out;
    };
    const a = await run();
    expect(await run()).toEqual(a);
    expect(a).toContain(true);
    expect(a).toContain(false);
  });

  test('bad fault settings are refused with 400 and a stable code', async () => {
    const r = await postJson(`${h.emu.url}/__emulator/faults`, { writeFailureRate: 2 });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('INVALID_PARAM');
  });
});

describe('transaction expiry (the TxnManager with a hand-driven clock)', () => {
  // The TTL is checked whenever a transaction is used, not only when another one starts: an idle
  // transaction past 60 s must not commit its buffered writes.
  let store: EnvStore;
  let dir: string;
  let now: number;
  let txns: TxnManager;
  beforeEach(async () => {
    dir = tempDir('cb-txn-ttl-');
    store = EnvStore.open(dir, 'ttl-env');
    await store.commit([{ op: 'coll', c: 'accounts' }, { op: 'put', c: 'accounts', doc: { _id: 'x', v: 1 } }]);
    now = 1_000_000;
    txns = new TxnManager(store, () => now);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const bufferWrite = (id: string) => txns.get(id).buffer([{ op: 'put', c: 'accounts', doc: { _id: 'x', v: 2 } }]);

  test('just inside the TTL the transaction commits', async () => {
    const id = txns.start();
    bufferWrite(id);
    now += TXN_TTL_MS;
    await txns.commit(id);
    expect(store.collection('accounts').docs.get(idKey('x'))).toMatchObject({ v: 2 });
  });

  test('an idle transaction past the TTL cannot commit, read, write or abort; nothing is written', async () => {
    const id = txns.start();
    bufferWrite(id);
    now += TXN_TTL_MS + 1;
    const expired = expect.objectContaining({ code: 'DATABASE_TRANSACTION_FAIL', message: expect.stringContaining('expired after 60s') });
    await expect(txns.commit(id)).rejects.toEqual(expired);
    expect(() => txns.get(id)).toThrow(expect.objectContaining({ code: 'DATABASE_TRANSACTION_FAIL' }));
    expect(() => txns.abort(id)).toThrow(expect.objectContaining({ code: 'DATABASE_TRANSACTION_FAIL' }));
    expect(store.collection('accounts').docs.get(idKey('x'))).toMatchObject({ v: 1 });
    // Expiry is per transaction: one started now still works.
    const fresh = txns.start();
    bufferWrite(fresh);
    await txns.commit(fresh);
    expect(store.collection('accounts').docs.get(idKey('x'))).toMatchObject({ v: 2 });
  });
});
