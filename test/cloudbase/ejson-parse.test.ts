/**
 * The emulator's EJSON reader (emulator/cloudbase/ejson.ts parseRelaxed) is a faster path to exactly
 * what bson's EJSON.parse(text, { relaxed: true }) returns — the library and version the SDK
 * serialises with. Compared here on every EJSON type, on the SDK's documents, on odd inputs (huge
 * literals, -0, "__proto__" keys, NUL bytes in names, malformed wrappers) and on errors.
 */
import { Binary, Code, DBRef, Decimal128, Double, EJSON, Int32, Long, MaxKey, MinKey, ObjectId, BSONRegExp, BSONSymbol, Timestamp } from 'bson';
import { parseRelaxed } from '../../emulator/cloudbase/ejson';

function outcome(fn: () => unknown): { ok: unknown } | { error: string } {
  try {
    return { ok: fn() };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

/** Jest finds two invalid Dates unequal (NaN times): mark them so they compare. */
function markInvalidDates(v: unknown): unknown {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v;
  if (Array.isArray(v) || (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)) {
    for (const k of Object.keys(v)) Object.defineProperty(v, k, { value: markInvalidDates((v as Record<string, unknown>)[k]), writable: true, enumerable: true, configurable: true });
  }
  return v;
}

function same(text: string): void {
  const ours = outcome(() => markInvalidDates(parseRelaxed(text)));
  const bsons = outcome(() => markInvalidDates(EJSON.parse(text, { relaxed: true })));
  // toStrictEqual: same classes (Date, Long, ObjectId…), own keys, and Object.is on numbers (-0, NaN).
  expect(ours).toStrictEqual(bsons);
}

const order = {
  _id: 'N000001', openid: 'oBENCH1', items: [{ productId: 'tea', name: 'Tea', unitPrice: 1200, quantity: 1 }],
  amount: { total: 1200, currency: 'CNY' }, status: 'NOTPAY', prepayId: null, expiresAt: new Date(1796182179270),
  transitions: [{ from: 'NOTPAY', to: 'SUCCESS', at: new Date('2026-12-02T00:00:00.123Z') }], ratio: 0.5, big: 2 ** 40, neg: -3,
};

test('the SDK\'s documents and queries (canonical EJSON, as the SDK sends them) read the same', () => {
  same(EJSON.stringify(order, { relaxed: false }));
  same(EJSON.stringify({ _id: 'N1', auditPending: true, updatedAt: new Date(1796178585898) }, { relaxed: false }));
  same(EJSON.stringify({ 'amount.total': 1200, _id: { $ne: 'N2' }, status: { $in: ['NOTPAY', 'USERPAYING'] } }, { relaxed: false }));
  same(EJSON.stringify([order, order, { nested: [[1, 2.5, [new Date(0)]]] }], { relaxed: false }));
  same(EJSON.stringify(order, { relaxed: true }));
});

/** An order transition as lib/orders sends it through the SDK: update operators around EJSON values. */
const transitionUpdate = {
  $set: { status: 'SUCCESS', updatedAt: new Date(1796185710929), auditPending: true, transactionId: '4200000000000000001100000000', paidAt: new Date(1796185710578) },
  $push: { transitions: { $each: [{ from: 'NOTPAY', to: 'SUCCESS', source: 'notify', at: new Date(1796185710929) }] } },
};

test('update and query operators ($set, $push/$each, $in, $or…) read the same, wrappers inside and beside them included', () => {
  same(EJSON.stringify(transitionUpdate, { relaxed: false }));
  same(EJSON.stringify({ $set: { auditPending: false } }, { relaxed: false }));
  same(EJSON.stringify({ $inc: { stock: -1 }, $unset: { lock: '' }, $addToSet: { tags: { $each: ['a', 1.5] } } }, { relaxed: false }));
  same(EJSON.stringify({ $or: [{ status: { $in: ['NOTPAY', 'USERPAYING'] } }, { expiresAt: { $lt: new Date(5) } }], _id: { $nin: [1, Long.fromNumber(2)] } }, { relaxed: false }));
  same(EJSON.stringify({ a: { $elemMatch: { b: { $gte: new Int32(3) }, c: { $regex: 'x', $options: 'i' } } } }, { relaxed: false }));
  const texts = [
    '{"$set":{"a":{"$numberInt":"1"}},"$numberInt":"2"}', '{"$in":[1],"$ref":"c","$id":"1"}', '{"$push":{"$date":"2026-01-01T00:00:00Z"}}', '{"$set":{"$undefined":true}}',
    '{"$set":{"__proto__":{"$numberInt":"1"}}}', '{"__proto__":{"$set":1}}', '{"$set":{"a\u0000":1}}', '{"$a\u0000":1}', '{"$set":null,"$id":null}', '{"$id":"x"}', '{"$db":"d"}',
    '{"$code":"f"}', '{"$scope":{}}', '{"$dbPointer":{"$ref":"c","$id":{"$oid":"64b7f0c2a1b2c3d4e5f60718"}}}', '{"$":1}', '{"$set":[{"$numberDouble":"-0.0"}]}',
  ];
  for (const t of texts) same(t);
});

test('the SDK\'s update documents are read without falling back to bson', () => {
  const spy = jest.spyOn(EJSON, 'parse');
  try {
    parseRelaxed(EJSON.stringify(transitionUpdate, { relaxed: false }));
    parseRelaxed(EJSON.stringify({ _id: 'N1', status: { $in: ['NOTPAY'] }, 'amount.total': 1200 }, { relaxed: false }));
    expect(spy).not.toHaveBeenCalled();
  } finally {
    spy.mockRestore();
  }
});

test('every EJSON type and wrapper reads the same', () => {
  const values: unknown[] = [
    new Int32(7), new Double(1.5), new Double(-0), new Double(Infinity), new Double(-Infinity), new Double(NaN), Long.fromString('9007199254740993'),
    Long.fromNumber(5), new Decimal128('1.10'), new ObjectId('64b7f0c2a1b2c3d4e5f60718'), new Binary(Buffer.from('abc')), new BSONRegExp('a.c', 'i'), /x+y/im,
    new Code('function () {}'), new DBRef('orders', new ObjectId('64b7f0c2a1b2c3d4e5f60719')), new MinKey(), new MaxKey(), new Timestamp({ t: 1, i: 2 }), new BSONSymbol('s'),
    new Date(-1), new Date(8.64e15), new Date(253402300800000), new Date(NaN),
  ];
  for (const v of values) {
    same(EJSON.stringify({ v }, { relaxed: false }));
    same(EJSON.stringify({ v }, { relaxed: true }));
    same(EJSON.stringify([v, { deep: { v } }], { relaxed: false }));
  }
});

test('odd and malformed inputs read the same, errors included', () => {
  const texts = [
    '5', '"s"', 'null', 'true', '[]', '{}', '1e400', '{"a":-0}', '{"a":1e400,"b":{"$numberInt":"1"}}', '{"a":{"$set":{"b":-0}}}',
    '{"__proto__":{"x":1}}', '{"__proto__":{"$numberInt":"3"}}', '{"a":{"__proto__":{"$date":"2026-01-01T00:00:00Z"}}}',
    '{"$numberInt":"12abc"}', '{"$numberInt":"007"}', '{"$numberInt":"-0"}', '{"$numberInt":12}', '{"$numberDouble":"-0.0"}', '{"$numberDouble":"1e400"}', '{"$numberDouble":"x"}',
    '{"$date":"not a date"}', '{"$date":"2026-12-02T00:00:00Z"}', '{"$date":1700000000000}', '{"$date":{"$numberLong":"-0"}}', '{"$date":{"$numberLong":"00012"}}',
    '{"$date":{"$numberLong":"999999999999999"}}', '{"$date":{"$numberLong":"9999999999999999"}}', '{"$date":{"$numberLong":"99999999999999999999"}}', '{"$date":{"$numberLong":"1","x":1}}',
    '{"$date":null}', '{"$numberInt":null}', '{"$numberInt":"1","other":2}', '{"$undefined":true}', '{"a":{"$undefined":true}}', '{"$ref":"c","$id":"1"}', '{"$unknown":1}',
    '{"a\\u0000b":1}', '{"x":{"a\\u0000b":1,"c\\u0000d":{"e\\u0000f":2}}}', '{"a":{"$numberInt":"1","b\\u0000":2}}', '{"a":', '{"a":1,}', '',
  ];
  for (const t of texts) same(t);
});

test('randomly generated documents read the same', () => {
  let seed = 42;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const gen = (depth: number): unknown => {
    const r = rnd();
    if (depth > 3 || r < 0.3) {
      const p = rnd();
      if (p < 0.2) return Math.floor(rnd() * 2 ** 33) - 2 ** 32;
      if (p < 0.35) return rnd() * 1000 - 500;
      if (p < 0.5) return new Date(Math.floor(rnd() * 4e12));
      if (p < 0.6) return null;
      if (p < 0.7) return rnd() < 0.5;
      if (p < 0.8) return Long.fromNumber(Math.floor(rnd() * 2 ** 50));
      return `s${Math.floor(rnd() * 1e6)}`;
    }
    if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(depth + 1));
    const o: Record<string, unknown> = {};
    // Some keys are operators (`$set`, `$in`…): bson leaves those objects alone.
    for (let i = 0; i < Math.floor(rnd() * 5); i++) o[`${rnd() < 0.2 ? '$op' : 'k'}${Math.floor(rnd() * 20)}`] = gen(depth + 1);
    return o;
  };
  for (let i = 0; i < 500; i++) {
    const doc = { d: gen(0) };
    same(EJSON.stringify(doc, { relaxed: false }));
    same(EJSON.stringify(doc, { relaxed: true }));
  }
});
