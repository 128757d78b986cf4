/**
 * The emulator's equality fast path (emulator/cloudbase/equality.ts) must give mingo's answer
 * whenever it gives one: property-tested over documents with nested objects, arrays, dates,
 * nulls and mixed types, against mingo's own Query.
 */
import fc from 'fast-check';
import { Query } from 'mingo';
import { plainEquality } from '../../emulator/cloudbase/equality';

const dates = [new Date(0), new Date(1_700_000_000_000), new Date(1_700_000_000_001)];
const scalar = fc.oneof(fc.constantFrom('a', 'b', '', '1'), fc.constantFrom(0, 1, -1, 1.5, 1200), fc.boolean(), fc.constantFrom(...dates));
const leaf = fc.oneof(scalar, fc.constant(null), fc.array(scalar, { maxLength: 3 }));
const keys = fc.constantFrom('a', 'b', 'c');
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.dictionary(keys, tie('v'), { maxKeys: 3 }), fc.array(fc.dictionary(keys, tie('v'), { maxKeys: 2 }), { maxLength: 2 })),
})).v;
const doc = fc.dictionary(keys, value, { maxKeys: 3 });
const path = fc.array(keys, { minLength: 1, maxLength: 3 }).map((p) => p.join('.'));
const query = fc.dictionary(path, scalar, { minKeys: 1, maxKeys: 3 });

it('decides only what mingo decides the same way', () => {
  let decided = 0;
  fc.assert(fc.property(doc, query, (d, q) => {
    const fast = plainEquality(q);
    expect(fast).not.toBeNull();
    const answer = fast!(d);
    if (answer !== undefined) {
      decided += 1;
      expect(answer).toBe(new Query(q).test(d));
    }
  }), { numRuns: 300 });
  expect(decided).toBeGreaterThan(60); // the fast path is actually taken
});

it('leaves operators, null and non-scalar conditions to mingo', () => {
  expect(plainEquality({ status: { $in: ['NOTPAY'] } })).toBeNull();
  expect(plainEquality({ a: null })).toBeNull();
  expect(plainEquality({ a: { b: 1 } })).toBeNull();
  expect(plainEquality({ 'items.0.qty': 1 })).toBeNull();
  expect(plainEquality({ $or: [{ a: 1 }] })).toBeNull();
});

it('matches a stored order the way the conditional updates ask for it', () => {
  const order = { _id: 'O1', status: 'NOTPAY', openid: 'o1', amount: { total: 1200, currency: 'CNY' }, updatedAt: new Date(5), tags: ['x'] };
  expect(plainEquality({ _id: 'O1', status: 'NOTPAY', openid: 'o1', 'amount.total': 1200, 'amount.currency': 'CNY' })!(order)).toBe(true);
  expect(plainEquality({ _id: 'O1', 'amount.total': 1199 })!(order)).toBe(false);
  expect(plainEquality({ updatedAt: new Date(5) })!(order)).toBe(true);
  expect(plainEquality({ updatedAt: new Date(6) })!(order)).toBe(false);
  expect(plainEquality({ tags: 'x' })!(order)).toBeUndefined(); // array membership: mingo's to decide
});
