/**
 * Declared indexes (emulator/cloudbase/field-index.ts) change what a query costs, never what it
 * answers: property-tested against the same writes in a store without indexes, over values an
 * index must not hash (arrays, whose elements MongoDB matches; dates, objects, null, missing),
 * deletes, documents put back, and pages with and without a sort.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findDocs, type DocSource } from '../../emulator/cloudbase/dbops';
import type { Doc } from '../../emulator/cloudbase/ejson';
import { EnvStore, indexedCandidates, type Op } from '../../emulator/cloudbase/store';

const scalar = fc.constantFrom<unknown>('NOTPAY', 'SUCCESS', 'CLOSED', '1', 1, 0, -0, 1.5, true, false);
const value = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, new Date(1_700_000_000_000), { x: 1 }) },
  { weight: 2, arbitrary: fc.array(scalar, { maxLength: 3 }) },
);
const docFields = fc.record({ status: value, booked: value, n: fc.integer({ min: 0, max: 5 }) }, { requiredKeys: ['n'] });
const write = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constant('put' as const), fc.integer({ min: 0, max: 14 }), docFields) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('del' as const), fc.integer({ min: 0, max: 14 }), fc.constant({})) },
);
const condition = fc.oneof(scalar, scalar.map(($eq) => ({ $eq })), fc.array(scalar, { maxLength: 3 }).map(($in) => ({ $in })), fc.constant({ $ne: 'NOTPAY' }), fc.constant(null));
const flat = fc.record({ status: condition, booked: condition, n: fc.constantFrom<unknown>(1, { $lte: 3 }) }, { requiredKeys: [] });
// Also as the branches of an `and` (the audit pass's later pages), with an `or` beside.
const query = fc.oneof(flat, fc.tuple(flat, flat).map(([a, b]) => ({ $and: [a, { $or: [b, { n: 2 }] }] })), fc.tuple(flat, flat).map(([a, b]) => ({ $and: [{ $and: [a] }, b] })));
const page = fc.record({ offset: fc.integer({ min: 0, max: 3 }), limit: fc.integer({ min: 1, max: 20 }), sorted: fc.boolean() });

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'wxcloud-pay-field-index-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function sourceOf(store: EnvStore): DocSource {
  const c = store.collection('orders');
  return { get: (k) => c.docs.get(k), values: () => c.docs.values(), candidates: (q) => indexedCandidates(c, q) };
}

it('answers every query as the scan does, in the same order', async () => {
  let served = 0;
  let runs = 0;
  await fc.assert(fc.asyncProperty(fc.array(write, { minLength: 10, maxLength: 60 }), fc.array(fc.tuple(query, page), { minLength: 1, maxLength: 6 }), async (writes, queries) => {
    runs += 1;
    const indexed = EnvStore.open(dir, `i${runs}`, undefined, { indexes: { orders: [['status', 'lastCheckedAt'], ['booked', 'updatedAt']] } });
    const plain = EnvStore.open(dir, `p${runs}`);
    try {
      for (const s of [indexed, plain]) {
        // One record, applied op by op in order: the same states as one commit per write, one fsync.
        await s.commit([{ op: 'coll', c: 'orders' }, ...writes.map(([op, id, fields]): Op =>
          op === 'put' ? { op, c: 'orders', doc: { _id: `o${id}`, ...fields } as Doc } : { op, c: 'orders', id: `o${id}` })]);
      }
      for (const [q, p] of queries) {
        const opts = { offset: p.offset, limit: p.limit, order: p.sorted ? { n: 1 as const } : undefined };
        if (indexedCandidates(indexed.collection('orders'), q as Doc)) served += 1;
        expect(findDocs(sourceOf(indexed), q as Doc, opts)).toEqual(findDocs(sourceOf(plain), q as Doc, opts));
      }
    } finally {
      await indexed.close();
      await plain.close();
    }
  }), { numRuns: 150 });
  expect(served).toBeGreaterThan(100); // the indexes were actually used, not only the scan compared with itself
});

it('narrows a pending query to the pending documents, and keeps up with writes and a reopen', async () => {
  const opts = { indexes: { orders: [['status', 'lastCheckedAt']] } };
  const store = EnvStore.open(dir, 'narrow', undefined, opts);
  const ops: Op[] = [{ op: 'coll', c: 'orders' }];
  for (let i = 0; i < 1000; i++) ops.push({ op: 'put', c: 'orders', doc: { _id: `o${i}`, status: i % 100 === 0 ? 'NOTPAY' : 'SUCCESS' } });
  await store.commit(ops);
  const pendingQuery = { status: { $in: ['NOTPAY', 'USERPAYING', 'PAYERROR'] } };
  expect(indexedCandidates(store.collection('orders'), pendingQuery)?.map((d) => d._id)).toEqual(Array.from({ length: 10 }, (_, k) => `o${k * 100}`));
  // Paid, deleted, and a new pending one: the candidates follow, in natural order.
  await store.commit([{ op: 'put', c: 'orders', doc: { _id: 'o0', status: 'SUCCESS' } }, { op: 'del', c: 'orders', id: 'o100' }, { op: 'put', c: 'orders', doc: { _id: 'o5', status: 'NOTPAY' } }]);
  const now = () => indexedCandidates(store.collection('orders'), pendingQuery)?.map((d) => d._id);
  expect(now()).toEqual(['o5', ...Array.from({ length: 8 }, (_, k) => `o${(k + 2) * 100}`)]);
  await store.close();
  const reopened = EnvStore.open(dir, 'narrow', undefined, opts);
  expect(indexedCandidates(reopened.collection('orders'), pendingQuery)?.map((d) => d._id)).toEqual(['o5', ...Array.from({ length: 8 }, (_, k) => `o${(k + 2) * 100}`)]);
  // A query the index cannot serve (a range on the field, the field under an `or`) scans.
  expect(indexedCandidates(reopened.collection('orders'), { status: { $gt: 'A' } })).toBeUndefined();
  expect(indexedCandidates(reopened.collection('orders'), { $or: [{ status: 'NOTPAY' }, { n: 1 }] })).toBeUndefined();
  // Under an `and` it bounds the matches.
  expect(indexedCandidates(reopened.collection('orders'), { $and: [{ status: 'NOTPAY' }, { $or: [{ n: 1 }, { n: 2 }] }] })?.length).toBe(9);
  await reopened.close();
});
