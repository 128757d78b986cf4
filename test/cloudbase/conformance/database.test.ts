/**
 * Conformance, database half: one `describe` per row of the API table in emulator/cloudbase/README.md
 * (table.test.ts keeps the two in step), each through the real, unmodified wx-server-sdk.
 * Deeper operator-by-operator coverage lives in ../database.test.ts.
 */
import { postJson, startHarness, type Harness } from '../helpers';

let h: Harness;
let _: any;

beforeAll(async () => {
  h = await startHarness();
  _ = h.db.command;
  for (const c of ['orders', 'lines', 'misc']) await h.db.createCollection(c);
  await h.db.collection('orders').add({ data: Array.from({ length: 30 }, (_x, i) => ({ _id: `o${i}`, n: i, amount: [0, 50, 99, 100, 150, 999][i % 6], tags: ['a', 'b'] })) });
});
afterAll(() => h.stop());

const errOf = async (p: Promise<unknown>): Promise<any> => p.then(() => { throw new Error('expected a rejection'); }, (e) => e);

describe('db.createCollection', () => {
  test('creates once; a second create fails with "Table exist"', async () => {
    await h.db.createCollection('fresh');
    await expect(h.db.collection('fresh').count()).resolves.toMatchObject({ total: 0 });
    await expect(h.db.createCollection('fresh')).rejects.toMatchObject({ errMsg: expect.stringContaining('Table exist') });
  });

  test.each([['a$b', "contains '$'"], ['system.users', "'system.'"], ['x'.repeat(121), 'longer than 120 bytes']])('an invalid name %#… is refused with a message naming the rule', async (name, why) => {
    const e = await errOf(h.db.createCollection(name));
    expect(e.errMsg).toContain('Invalid collection name');
    expect(e.errMsg).toContain(why);
  });
});

describe('collection.add', () => {
  test('a field name starting with $ or containing . is refused and nothing is stored', async () => {
    for (const data of [{ _id: 'bad1', $x: 1 }, { _id: 'bad2', nested: { 'a.b': 1 } }]) {
      const e = await errOf(h.db.collection('misc').add({ data }));
      expect(e.errCode).toBe(-502001);
      expect(e.errMsg).toContain('is not valid for storage');
    }
    expect((await h.db.collection('misc').where({ _id: _.in(['bad1', 'bad2']) }).count()).total).toBe(0);
  });

  test('a document over the 16 MB packet limit in one add() gets a clear error (413), not a reset connection', async () => {
    const e = await errOf(h.db.collection('misc').add({ data: { _id: 'too-big', big: 'x'.repeat(17 * 1024 * 1024) } }));
    expect(e.errMsg).toContain('413 Payload Too Large');
    expect(e.errMsg).not.toContain('ECONNRESET');
    expect((await h.db.collection('misc').where({ _id: 'too-big' }).count()).total).toBe(0);
  });
});

describe('doc.get', () => {
  test('a stored document comes back with its types', async () => {
    const when = new Date('2025-01-02T03:04:05.000Z');
    await h.db.collection('misc').add({ data: { _id: 'g1', when, n: 1.5 } });
    expect((await h.db.collection('misc').doc('g1').get()).data).toEqual({ _id: 'g1', when, n: 1.5 });
  });
});

describe('doc.set', () => {
  test('replaces the document (keeping _id)', async () => {
    await h.db.collection('misc').doc('s1').set({ data: { a: 1, b: 2 } });
    await h.db.collection('misc').doc('s1').set({ data: { c: 3 } });
    expect((await h.db.collection('misc').doc('s1').get()).data).toEqual({ _id: 's1', c: 3 });
  });
});

describe('doc.update', () => {
  beforeEach(() => h.db.collection('misc').doc('u1').set({ data: { name: 'tea', n: 1, list: [1], obj: { k: 1 } } }));
  const current = async () => (await h.db.collection('misc').doc('u1').get()).data;

  test.each([
    ['inc on a string', () => ({ name: _.inc(1) }), "Cannot apply $inc to a value of non-numeric type. {_id: \"u1\"} has the field 'name' of non-numeric type string"],
    ['mul on a string', () => ({ name: _.mul(2) }), 'Cannot apply $mul to a value of non-numeric type'],
    ['push onto a non-array', () => ({ name: _.push(['x']) }), "The field 'name' must be an array but is of type string"],
    ['addToSet onto a non-array', () => ({ n: _.addToSet(2) }), "The field 'n' must be an array but is of type int"],
    ['pull from a non-array', () => ({ name: _.pull('t') }), 'Cannot apply $pull to a non-array value'],
    ['pop of a non-array', () => ({ obj: _.pop() }), 'Cannot apply $pop to a non-array value'],
    ['a field under a scalar', () => ({ 'n.deeper': 1 }), "Cannot create field 'deeper' in element {n: 1}"],
    ['a stored field name with $', () => ({ obj: _.set({ $bad: 1 }) }), 'is not valid for storage'],
  ])('%s is refused with -502001 and changes nothing', async (_name, data, message) => {
    const e = await errOf(h.db.collection('misc').doc('u1').update({ data: data() }));
    expect(e.errCode).toBe(-502001);
    expect(e.errMsg).toContain(message);
    expect(await current()).toEqual({ _id: 'u1', name: 'tea', n: 1, list: [1], obj: { k: 1 } });
  });

  test('a document growing past 16 MB is refused with a clear error (not ECONNRESET) and stays as it was', async () => {
    const chunk = 'x'.repeat(6 * 1024 * 1024);
    await h.db.collection('misc').doc('huge').set({ data: { parts: [] } });
    await h.db.collection('misc').doc('huge').update({ data: { parts: _.push([chunk]) } });
    await h.db.collection('misc').doc('huge').update({ data: { parts: _.push([chunk]) } });
    const e = await errOf(h.db.collection('misc').doc('huge').update({ data: { parts: _.push([chunk]) } }));
    expect(e.errCode).toBe(-502001);
    expect(e.errMsg).toMatch(/the document size limit is 16 MB \(16777216 bytes\)/);
    expect((await h.db.collection('misc').doc('huge').field({ _id: true }).get()).data).toEqual({ _id: 'huge' });
    const { data } = await h.db.collection('misc').where({ _id: 'huge' }).get();
    expect(data[0].parts).toHaveLength(2);
  });
});

describe('doc.remove', () => {
  test('removes; a second remove reports 0', async () => {
    await h.db.collection('misc').doc('r1').set({ data: { a: 1 } });
    expect((await h.db.collection('misc').doc('r1').remove()).stats.removed).toBe(1);
    expect((await h.db.collection('misc').doc('r1').remove()).stats.removed).toBe(0);
  });
});

describe('where.get', () => {
  test('100 by default, limit(n) capped at 1000', async () => {
    expect((await h.db.collection('orders').where({ n: _.gte(0) }).limit(5).get()).data).toHaveLength(5);
    expect((await h.db.collection('orders').where({ n: _.gte(0) }).get()).data).toHaveLength(30);
  });
});

describe('where.count', () => {
  test('counts every match', async () => {
    expect((await h.db.collection('orders').where({ amount: 100 }).count()).total).toBe(5);
  });
});

describe('where.update', () => {
  test("a positional update 'lines.$.qty' changes the array element the query matched", async () => {
    await h.db.collection('lines').add({ data: { _id: 'cart', lines: [{ sku: 'tea', qty: 1 }, { sku: 'cup', qty: 5 }] } });
    const res = await h.db.collection('lines').where({ _id: 'cart', 'lines.sku': 'cup' }).update({ data: { 'lines.$.qty': _.inc(2) } });
    expect(res.stats.updated).toBe(1);
    expect((await h.db.collection('lines').doc('cart').get()).data.lines).toEqual([{ sku: 'tea', qty: 1 }, { sku: 'cup', qty: 7 }]);
  });

  test('a positional update whose query does not name the array is refused like MongoDB', async () => {
    const e = await errOf(h.db.collection('lines').where({ _id: 'cart' }).update({ data: { 'lines.$.qty': 0 } }));
    expect(e.errMsg).toContain("You must include the array field for '.$' as part of the query document");
  });
});

describe('where.remove', () => {
  test('removes every match', async () => {
    await h.db.collection('misc').add({ data: [{ grp: 'rm' }, { grp: 'rm' }] });
    expect((await h.db.collection('misc').where({ grp: 'rm' }).remove()).stats.removed).toBe(2);
  });
});

describe('db.command (query)', () => {
  test.each([
    ['mod by zero', () => ({ n: _.mod(0, 1) }), 'divisor cannot be 0'],
    ['size of a string', () => ({ tags: _.size('x') }), 'Failed to parse $size'],
    ['size negative', () => ({ tags: _.size(-1) }), 'Expected a non-negative integer'],
  ])('%s is refused (MongoDB parse error), not an empty result', async (_name, where, message) => {
    const e = await errOf(h.db.collection('orders').where(where()).get());
    expect(e.errCode).toBe(-502001);
    expect(e.errMsg).toContain(message);
  });

  test('valid operators still match', async () => {
    expect((await h.db.collection('orders').where({ n: _.mod(10, 0) }).count()).total).toBe(3);
    expect((await h.db.collection('orders').where({ tags: _.size(2) }).count()).total).toBe(30);
  });
});

describe('collection.aggregate', () => {
  const agg = () => h.db.collection('orders').aggregate();

  test('without limit() at most 20 results come back, like the real service; with limit() as many as asked', async () => {
    expect((await agg().match({ n: _.gte(0) }).end()).list).toHaveLength(20);
    expect((await agg().match({ n: _.gte(0) }).limit(25).end()).list).toHaveLength(25);
  });

  test('$bucket: a value on a boundary counts in the bucket that boundary opens', async () => {
    const { list } = await agg().bucket({ groupBy: '$amount', boundaries: [0, 50, 100, 1000] }).end();
    // amounts cycle 0, 50, 99, 100, 150, 999 (5 of each): [0,50) 0 · [50,100) 50, 99 · [100,1000) 100, 150, 999
    expect(list).toEqual([{ _id: 0, count: 5 }, { _id: 50, count: 10 }, { _id: 100, count: 15 }]);
  });

  test('$arrayElemAt past the end leaves the field out (no null)', async () => {
    const { list } = await agg().match({ _id: 'o1' }).project({ _id: 0, first: h.db.command.aggregate.arrayElemAt(['$tags', 0]), tenth: h.db.command.aggregate.arrayElemAt(['$tags', 9]) }).end();
    expect(list).toEqual([{ first: 'a' }]);
  });

  test('$lookup from a collection that does not exist joins [] instead of failing', async () => {
    const { list } = await agg().match({ _id: 'o2' }).lookup({ from: 'no_such_collection', localField: 'n', foreignField: 'n', as: 'joined' }).project({ _id: 1, joined: 1 }).end();
    expect(list).toEqual([{ _id: 'o2', joined: [] }]);
  });
});

describe('geo (db.Geo, geoNear, geoWithin, geoIntersects)', () => {
  test('geo queries answer "not emulated", never a silent empty result', async () => {
    await h.db.collection('misc').add({ data: { _id: 'shop', at: new h.db.Geo.Point(121.47, 31.23) } });
    const near = await errOf(h.db.collection('misc').where({ at: _.geoNear({ geometry: new h.db.Geo.Point(121.47, 31.23), maxDistance: 1000 }) }).get());
    expect(near.errMsg).toContain('not emulated: db.command.geoNear (see emulator/cloudbase/README.md)');
    const within = await errOf(h.db.collection('misc').where({ at: _.geoWithin({ centerSphere: [[121.47, 31.23], 0.001] }) }).get());
    expect(within.errMsg).toContain('not emulated: db.command.geoWithin');
    const stage = await errOf(h.db.collection('misc').aggregate().geoNear({ distanceField: 'd', near: new h.db.Geo.Point(121.47, 31.23) }).end());
    expect(stage.errMsg).toContain('not emulated: aggregate().geoNear');
  });
});

describe('db.runTransaction', () => {
  test('where() inside a transaction is refused like the real service; doc() operations work', async () => {
    await h.db.collection('misc').doc('t1').set({ data: { v: 1 } });
    const e = await errOf(h.db.runTransaction(async (t: any) => t.collection('misc').where({ v: 1 }).get()));
    expect(e.errMsg).toContain('where() queries are not allowed in a transaction');
    await h.db.runTransaction(async (t: any) => {
      const { data } = await t.collection('misc').doc('t1').get();
      await t.collection('misc').doc('t1').update({ data: { v: data.v + 1 } });
    });
    expect((await h.db.collection('misc').doc('t1').get()).data.v).toBe(2);
  });

  test('on the wire: a WHERE query carrying a transactionId is refused', async () => {
    const start = await postJson(h.emu.adminUrl, { action: 'database.startTransaction' });
    const r = await postJson(h.emu.adminUrl, { action: 'database.getDocument', collectionName: 'misc', queryType: 'WHERE', query: '{}', transactionId: start.json.transactionId });
    expect(r.json.code).toBe('DATABASE_REQUEST_FAILED');
    expect(r.json.message).toContain('where() queries are not allowed in a transaction');
  });
});
