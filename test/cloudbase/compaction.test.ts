/**
 * Compaction beside the writes (DurableLog.compact via EnvStore), in process on real files: the
 * snapshot of a large store is written across many event-loop turns, a timer set when it starts
 * runs before it ends, writes made meanwhile are acknowledged before it ends, and a restart replays
 * to exactly the state at the end (documents changed, added and deleted while it ran included).
 */
import fs from 'node:fs';
import path from 'node:path';
import { EnvStore, type Op } from '../../emulator/cloudbase/store';
import { tempDir } from './helpers';

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const DOCS = 50_000;
const doc = (i: number, n = 0) => ({ _id: `d${i}`, n, status: 'NOTPAY', note: `order ${i} of the seed, padded to a realistic size`, at: new Date(1_700_000_000_000 + i) });

async function seeded(dir: string): Promise<EnvStore> {
  const store = EnvStore.open(dir, 'big', undefined, { compactAtBytes: 1 << 30 }); // compactions only when asked
  await store.commit([{ op: 'coll', c: 'orders' }]);
  for (let i = 0; i < DOCS; i += 1000) {
    const ops: Op[] = [];
    for (let j = i; j < i + 1000; j++) ops.push({ op: 'put', c: 'orders', doc: doc(j) });
    await store.commit(ops);
  }
  return store;
}

const state = (s: EnvStore) => [...s.collections.values()].map((c) => [c.name, new Map(c.docs)] as const);

test('a 50k-document compaction yields to the event loop, acknowledges writes meanwhile, and replays to the state at its end', async () => {
  const dir = tempDir('cb-compact-');
  made.push(dir);
  const store = await seeded(dir);
  const file = path.join(dir, 'cloudbase', 'big.log');
  const before = fs.statSync(file).size;

  let done = false;
  const compaction = store.compactNow().then(() => (done = true));
  let timerRanFirst: boolean | undefined;
  const timer = new Promise<void>((resolve) => setTimeout(() => resolve(void (timerRanFirst = !done)), 0));
  // Writes while the snapshot is being written: updates of documents it has or has not reached yet,
  // deletes, new documents, a new collection. Each one awaited: acknowledged means durable.
  let ackedDuring = 0;
  for (let i = 0; !done; i++) {
    const ops: Op[] = i % 5 === 4 ? [{ op: 'del', c: 'orders', id: `d${(i * 7919) % DOCS}` }] : [{ op: 'put', c: 'orders', doc: doc((i * 104_729) % DOCS, i + 1) }];
    if (i === 3) ops.push({ op: 'coll', c: 'late' }, { op: 'put', c: 'late', doc: { _id: 'x', v: 1 } });
    ops.push({ op: 'put', c: 'orders', doc: doc(DOCS + i, i) });
    await store.commit(ops);
    if (!done) ackedDuring += 1;
  }
  await compaction;
  await timer;

  const report = store.lastCompaction!;
  expect(timerRanFirst).toBe(true);
  expect(report.slices).toBeGreaterThan(10);
  expect(ackedDuring).toBeGreaterThan(0);
  expect(report.tailBytes).toBeGreaterThan(0);
  // Every seed record rewritten as the snapshot, then the writes made meanwhile behind it.
  expect(report.snapshotBytes).toBeGreaterThan(before / 2);
  expect(fs.statSync(file).size).toBeGreaterThanOrEqual(report.bytes); // + what the last write added after the switch
  const expected = state(store);
  await store.commit([{ op: 'put', c: 'orders', doc: doc(0, -1) }]); // after the switch: in the new file
  await store.close();

  const again = EnvStore.open(dir, 'big');
  expected[0][1].set('sd0', doc(0, -1));
  expect(state(again)).toEqual(expected);
  expect(again.collection('late').docs.get('sx')).toEqual({ _id: 'x', v: 1 });
  await again.close();
});
