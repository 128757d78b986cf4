/**
 * sameDoc (emulator/cloudbase/same-doc.ts) decides "did the update change the document?" by walking
 * both documents, and must always give the answer of its definition, canonicalSame (equal JSON texts).
 * Compared here on the documents the hot paths produce, on every kind of value that can sit in a
 * stored document (dates, invalid dates, RegExps, bson values, -0, NaN, undefined, key order) and on
 * random pairs, mutated copies included.
 */
import { Decimal128, Long, ObjectId } from 'bson';
import { applyUpdate } from '../../emulator/cloudbase/dbops';
import { canonicalSame, sameDoc } from '../../emulator/cloudbase/same-doc';
import type { Doc } from '../../emulator/cloudbase/ejson';

function agrees(a: Doc, b: Doc): void {
  expect({ a, b, same: sameDoc(a, b) }).toEqual({ a, b, same: canonicalSame(a, b) });
  expect(sameDoc(b, a)).toBe(canonicalSame(b, a));
}

const order = (): Doc => ({
  _id: 'N1', openid: 'o1', items: [{ productId: 'tea', unitPrice: 1200, quantity: 1 }], amount: { total: 1200, currency: 'CNY' },
  status: 'NOTPAY', prepayId: null, expiresAt: new Date(1796189310559), transitions: [], createdAt: new Date(1796185710559),
});

test('an order transition and a repeated one: changed, then unchanged', () => {
  const before = order();
  const at = new Date(1796185710929);
  const update = { $set: { status: 'SUCCESS', updatedAt: at, auditPending: true }, $push: { transitions: { $each: [{ from: 'NOTPAY', to: 'SUCCESS', at }] } } };
  const after = applyUpdate(before, update, true);
  agrees(before, after);
  expect(sameDoc(before, after)).toBe(false);
  const cleared = applyUpdate(after, { $set: { auditPending: false } }, true);
  agrees(after, cleared);
  expect(sameDoc(after, cleared)).toBe(false);
  const again = applyUpdate(cleared, { $set: { auditPending: false, status: 'SUCCESS', updatedAt: new Date(at.getTime()) } }, true);
  agrees(cleared, again);
  expect(sameDoc(cleared, again)).toBe(true);
});

test('every kind of stored value, and the pairs whose texts match although the values differ', () => {
  const values: unknown[] = [
    'a', '', 'a"b', '\ud800', 0, -0, 1, 1.5, NaN, Infinity, -Infinity, true, false, null, undefined, new Date(0), new Date(1), new Date(NaN),
    new Date(8.64e15), '1970-01-01T00:00:00.000Z', /a/i, /a/g, '/a/i', Long.fromNumber(5), Long.fromString('9007199254740993'), new Decimal128('1.10'),
    new ObjectId('64b7f0c2a1b2c3d4e5f60718'), [], [1], [undefined], [null], {}, { x: 1 }, { x: undefined }, { toJSON: () => 'x' }, 'x', () => 1,
    Object.create(null) as unknown, [new Date(NaN)], [/a/], { d: new Date(0) },
  ];
  for (const v of values) {
    for (const w of values) {
      agrees({ _id: 1, v }, { _id: 1, v: w });
      agrees({ _id: 1, v, k: 'same' }, { _id: 1, k: 'same', v: w });
      agrees({ _id: 1, v }, { _id: 1 });
      agrees({ _id: 1, list: [v, 2] }, { _id: 1, list: [w, 3] });
      agrees({ _id: 1, deep: { v, n: 1 } }, { _id: 1, deep: { v: w, n: 1 } });
    }
  }
});

test('random documents and mutated copies', () => {
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const leaf = (): unknown => {
    const p = rnd();
    if (p < 0.15) return Math.floor(rnd() * 4) - 1;
    if (p < 0.25) return rnd() < 0.5 ? -0 : NaN;
    if (p < 0.4) return new Date(Math.floor(rnd() * 3) * 1000);
    if (p < 0.45) return new Date(NaN);
    if (p < 0.55) return null;
    if (p < 0.6) return undefined;
    if (p < 0.7) return rnd() < 0.5;
    if (p < 0.75) return Long.fromNumber(Math.floor(rnd() * 3));
    if (p < 0.8) return rnd() < 0.5 ? /r/ : /r/m;
    return `s${Math.floor(rnd() * 3)}`;
  };
  const gen = (depth: number): unknown => {
    const r = rnd();
    if (depth > 3 || r < 0.4) return leaf();
    if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 3) }, () => gen(depth + 1));
    const o: Doc = {};
    for (let i = 0; i < Math.floor(rnd() * 4); i++) o[`k${Math.floor(rnd() * 4)}`] = gen(depth + 1);
    return o;
  };
  const mutate = (v: unknown, depth: number): unknown => {
    if (rnd() < 0.15) return gen(depth);
    if (Array.isArray(v)) return v.map((x) => mutate(x, depth + 1));
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const keys = Object.keys(v);
      if (rnd() < 0.1) keys.reverse();
      const out: Doc = {};
      for (const k of keys) out[k] = mutate((v as Doc)[k], depth + 1);
      return out;
    }
    return v;
  };
  let same = 0;
  for (let i = 0; i < 3000; i++) {
    const a = { _id: i, d: gen(0), e: gen(1) };
    const b = mutate(a, 0) as Doc;
    agrees(a, b);
    if (canonicalSame(a, b)) same++;
  }
  // Both answers occur often enough for the comparison to mean something.
  expect(same).toBeGreaterThan(300);
  expect(same).toBeLessThan(2700);
});
