/**
 * The emulator's projection fast path (emulator/cloudbase/dbops.ts: top-level inclusion, what the
 * bill reconciliation's batched lookups send) must give mingo's answer: property-tested over
 * documents with nested objects, arrays, dates and nulls, against mingo's own projection.
 */
import fc from 'fast-check';
import { find } from 'mingo';
import { findDocs, isTopLevelInclusion, type DocSource } from '../../emulator/cloudbase/dbops';
import type { Doc } from '../../emulator/cloudbase/ejson';

const scalar = fc.oneof(fc.constantFrom('a', '', '1'), fc.constantFrom(0, 1, 1200), fc.boolean(), fc.constant(new Date(1_700_000_000_000)), fc.constant(null));
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.constantFrom('x', 'y'), scalar, { maxKeys: 2 }));
const body = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'status'), value, { maxKeys: 4 });
const docs = fc.array(body, { maxLength: 6 }).map((bodies) => bodies.map((b, i) => ({ _id: `id${i}`, ...b }) as Doc));
const projection = fc.dictionary(fc.constantFrom('_id', 'a', 'b', 'status', 'missing'), fc.constantFrom<true | 1>(true, 1), { minKeys: 1, maxKeys: 4 });
const sourceOf = (list: Doc[]): DocSource => ({ get: (k) => list.find((d) => d._id === k), values: () => list });

it('top-level inclusion gives what mingo gives, _id first', () => {
  fc.assert(fc.property(docs, projection, (list, p) => {
    expect(isTopLevelInclusion(p)).toBe(true);
    const mingo = (find(list, {}, p).all() as Doc[]).map((d) => ('_id' in d ? { _id: d._id, ...d } : d));
    const ours = findDocs(sourceOf(list), undefined, { projection: p, limit: 100 });
    expect(ours).toEqual(mingo);
    for (const d of ours) expect(Object.keys(d)[0]).toBe('_id');
  }), { numRuns: 300 });
});

it('anything else (dotted paths, exclusions, operators) is left to mingo', () => {
  for (const p of [{ 'a.x': true }, { a: false }, { a: 0 }, { _id: false, a: true }, { a: { $slice: 1 } }, { $a: true }]) expect(isTopLevelInclusion(p as Doc)).toBe(false);
  const list = [{ _id: 'k', a: { x: 1, y: 2 }, b: 3 }] as Doc[];
  expect(findDocs(sourceOf(list), undefined, { projection: { 'a.x': true }, limit: 10 })).toEqual([{ _id: 'k', a: { x: 1 } }]);
  expect(findDocs(sourceOf(list), undefined, { projection: { _id: false, b: true }, limit: 10 })).toEqual([{ b: 3 }]);
});
