/**
 * The CloudBase emulator answers `{_id, …more conditions}` by key lookup (like the real `_id` index)
 * instead of scanning every document: lib/orders' conditional transition `where({_id, status})` made
 * reconciliation cost grow with the collection size (bench-reconcile: 3 s+ per update at 10k
 * orders). The answers must be exactly those of a scan.
 */
import fc from 'fast-check';
import { Query } from 'mingo';
import { matchDocs, type DocSource } from '../../emulator/cloudbase/dbops';
import { idKey } from '../../emulator/cloudbase/store';

const docs = Array.from({ length: 50 }, (_x, i) => ({ _id: i % 7 === 0 ? i : `o${i}`, status: ['NOTPAY', 'SUCCESS', 'CLOSED'][i % 3], total: i * 100 }));
const byKey = new Map(docs.map((d) => [idKey(d._id), d]));
const source: DocSource = { get: (k) => byKey.get(k), values: () => docs };
let scans = 0;
const counting: DocSource = { get: source.get, values: () => { scans += 1; return docs; } };

it('{_id, status} finds the document only when both match, without a scan', () => {
  scans = 0;
  expect(matchDocs(counting, { _id: 'o1', status: 'SUCCESS' })).toEqual([docs[1]]);
  expect(matchDocs(counting, { _id: 'o1', status: 'NOTPAY' })).toEqual([]);
  expect(matchDocs(counting, { _id: 'o1', status: { $in: ['NOTPAY', 'SUCCESS'] } })).toEqual([docs[1]]);
  expect(matchDocs(counting, { _id: 14, total: 1400 })).toEqual([docs[14]]);
  expect(matchDocs(counting, { _id: 'missing', status: 'NOTPAY' })).toEqual([]);
  expect(scans).toBe(0);
});

it('answers exactly what a scan answers', () => {
  const ids = fc.oneof(fc.constantFrom(...docs.map((d) => d._id)), fc.constant('missing'), fc.integer({ min: 0, max: 60 }));
  const query = fc.record({ _id: ids, status: fc.constantFrom('NOTPAY', 'SUCCESS', 'CLOSED', { $ne: 'CLOSED' }), total: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constant({ $gte: 1000 })) }, { requiredKeys: ['_id'] });
  fc.assert(fc.property(query, (q) => {
    const scan = docs.filter((d) => new Query(q).test(d));
    expect(matchDocs(source, q)).toEqual(scan);
  }), { numRuns: 300, seed: 7 });
});

it('a $or whose every branch names one _id (the audit pass\'s batched clear) is key lookups too, with exactly a scan\'s answer', () => {
  scans = 0;
  const clear = { $or: [{ _id: 'o1', status: 'SUCCESS' }, { _id: 'o2', status: 'SUCCESS' }, { _id: 14, total: 1400 }, { _id: 'missing' }] };
  expect(matchDocs(counting, clear)).toEqual([docs[1], docs[14]]);
  expect(scans).toBe(0);
  const branch = fc.record({ _id: fc.oneof(fc.constantFrom(...docs.map((d) => d._id)), fc.constant('missing')), status: fc.constantFrom('NOTPAY', 'SUCCESS', { $ne: 'CLOSED' }) }, { requiredKeys: ['_id'] });
  const query = fc.record({ $or: fc.array(branch, { minLength: 1, maxLength: 6 }), total: fc.constantFrom(undefined, { $gte: 1000 }) }, { requiredKeys: ['$or'] })
    .map((q) => (q.total === undefined ? { $or: q.$or } : q));
  fc.assert(fc.property(query, (q) => {
    const scan = docs.filter((d) => new Query(q).test(d));
    expect(new Set(matchDocs(source, q))).toEqual(new Set(scan));
  }), { numRuns: 300, seed: 11 });
  // A branch without its own _id needs the scan.
  scans = 0;
  expect(matchDocs(counting, { $or: [{ _id: 'o1' }, { status: 'CLOSED', total: 200 }] })).toEqual([docs[1], docs[2]]);
  expect(scans).toBe(1);
});
