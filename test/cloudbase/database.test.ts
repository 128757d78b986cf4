/**
 * Conformance of the emulator's database through the REAL wx-server-sdk (unmodified, pointed at
 * the emulator by env vars): CRUD, query/update operators, ordering/paging/projection, limits,
 * serverDate/regex/dates, error codes the SDK maps.
 */
import { postJson, startHarness, type Harness } from './helpers';

let h: Harness;
let _: any;

beforeAll(async () => {
  h = await startHarness();
  _ = h.db.command;
  for (const c of ['items', 'people', 'big', 'misc']) await h.db.createCollection(c);
});
afterAll(() => h.stop());

describe('CRUD', () => {
  test('add returns an id; doc().get returns the stored document with types preserved', async () => {
    const when = new Date('2024-05-01T10:00:00.000Z');
    const { _id } = await h.db.collection('items').add({ data: { name: 'tea', price: 1200, ratio: 0.5, when, nested: { a: [1, 'x', null] }, ok: true } });
    expect(typeof _id).toBe('string');
    const { data } = await h.db.collection('items').doc(_id).get();
    expect(data).toEqual({ _id, name: 'tea', price: 1200, ratio: 0.5, when, nested: { a: [1, 'x', null] }, ok: true });
    expect(data.when).toBeInstanceOf(Date);
  });

  test('add with an explicit _id; a second add with the same _id fails with -502001 and changes nothing', async () => {
    await h.db.collection('items').add({ data: { _id: 'fixed-1', v: 1 } });
    await expect(h.db.collection('items').add({ data: { _id: 'fixed-1', v: 2 } })).rejects.toMatchObject({ errCode: -502001 });
    expect((await h.db.collection('items').doc('fixed-1').get()).data.v).toBe(1);
  });

  test('doc().set replaces (upserts when missing); doc().update merges; doc().remove deletes', async () => {
    const ref = h.db.collection('items').doc('set-1');
    const created = await ref.set({ data: { a: 1, b: { c: 2 } } });
    expect(created.stats.created).toBe(1);
    await ref.set({ data: { z: 9 } });
    expect((await ref.get()).data).toEqual({ _id: 'set-1', z: 9 });
    const upd = await ref.update({ data: { y: 8, deep: { k: 1 } } });
    expect(upd.stats.updated).toBe(1);
    expect((await ref.get()).data).toEqual({ _id: 'set-1', z: 9, y: 8, deep: { k: 1 } });
    const rm = await ref.remove();
    expect(rm.stats.removed).toBe(1);
    await expect(ref.get()).rejects.toMatchObject({ errCode: -1 });
  });

  test('where().update changes every match and reports the count; where().remove too', async () => {
    await h.db.collection('misc').add({ data: [{ g: 'w', n: 1 }, { g: 'w', n: 2 }, { g: 'other', n: 3 }] });
    const up = await h.db.collection('misc').where({ g: 'w' }).update({ data: { flagged: true } });
    expect(up.stats.updated).toBe(2);
    expect((await h.db.collection('misc').where({ flagged: true }).count()).total).toBe(2);
    const rm = await h.db.collection('misc').where({ g: 'w' }).remove();
    expect(rm.stats.removed).toBe(2);
    expect((await h.db.collection('misc').where({ g: _.exists(true) }).count()).total).toBe(1);
  });

  test('a missing collection fails with -502005 (strict, like the real service) and createCollection twice fails', async () => {
    await expect(h.db.collection('no_such').get()).rejects.toMatchObject({ errCode: -502005 });
    await expect(h.db.collection('no_such').add({ data: { a: 1 } })).rejects.toMatchObject({ errCode: -502005 });
    await expect(h.db.createCollection('items')).rejects.toMatchObject({ errMsg: expect.stringContaining('Table exist') });
  });
});

describe('query operators', () => {
  beforeAll(async () => {
    await h.db.collection('people').add({
      data: [
        { _id: 'p1', name: 'Ann', age: 30, tags: ['a', 'b'], addr: { city: 'SH', zip: 200000 }, scores: [{ s: 90 }, { s: 40 }] },
        { _id: 'p2', name: 'bob', age: 25, tags: ['b'], addr: { city: 'BJ', zip: 100000 }, scores: [{ s: 60 }] },
        { _id: 'p3', name: 'Cid', age: 41, tags: [], addr: { city: 'SH', zip: 200001 }, nick: null, scores: [] },
        { _id: 'p4', name: 'dan', age: 30, tags: ['c', 'a', 'b'], addr: { city: 'GZ', zip: 510000 }, scores: [{ s: 95 }] },
      ],
    });
  });
  const ids = async (where: object): Promise<string[]> => (await h.db.collection('people').where(where).orderBy('_id', 'asc').get()).data.map((d: any) => d._id);

  test.each([
    ['eq', () => ({ age: _.eq(30) }), ['p1', 'p4']],
    ['neq', () => ({ age: _.neq(30) }), ['p2', 'p3']],
    ['gt / lt combined with and', () => ({ age: _.gt(25).and(_.lt(41)) }), ['p1', 'p4']],
    ['gte / lte', () => ({ age: _.gte(30).and(_.lte(41)) }), ['p1', 'p3', 'p4']],
    ['in', () => ({ name: _.in(['Ann', 'dan']) }), ['p1', 'p4']],
    ['nin', () => ({ name: _.nin(['Ann', 'dan']) }), ['p2', 'p3']],
    ['or across fields', () => _.or([{ age: 25 }, { name: 'Cid' }]), ['p2', 'p3']],
    ['nor', () => _.nor([{ age: 30 }, { age: 25 }]), ['p3']],
    ['not', () => ({ age: _.not(_.gt(29)) }), ['p2']],
    ['exists false (null counts as present)', () => ({ nick: _.exists(false) }), ['p1', 'p2', 'p4']],
    ['size', () => ({ tags: _.size(0) }), ['p3']],
    ['all', () => ({ tags: _.all(['a', 'b']) }), ['p1', 'p4']],
    ['array contains by equality', () => ({ tags: 'c' }), ['p4']],
    ['elemMatch', () => ({ scores: _.elemMatch({ s: _.gte(90) }) }), ['p1', 'p4']],
    ['mod', () => ({ age: _.mod(5, 0) }), ['p1', 'p2', 'p4']],
    ['nested object (flattened to a dotted path)', () => ({ addr: { city: 'SH' } }), ['p1', 'p3']],
    ['dotted path string key', () => ({ 'addr.zip': _.gt(200000) }), ['p3', 'p4']],
  ])('%s', async (_name, where, expected) => {
    expect(await ids(where())).toEqual(expected);
  });

  test('db.RegExp and a JS RegExp both match like MongoDB $regex', async () => {
    expect(await ids({ name: h.db.RegExp({ regexp: '^[ab]', options: 'i' }) })).toEqual(['p1', 'p2']);
    expect(await ids({ name: /N$/i })).toEqual(['p1', 'p4']);
  });

  test('orderBy on two fields, skip, limit and field()', async () => {
    const res = await h.db.collection('people').orderBy('age', 'desc').orderBy('name', 'asc').skip(1).limit(2).field({ name: true, age: true }).get();
    expect(res.data).toEqual([
      { _id: 'p1', name: 'Ann', age: 30 },
      { _id: 'p4', name: 'dan', age: 30 },
    ]);
  });

  test('field() exclusion and count()', async () => {
    const { data } = await h.db.collection('people').where({ _id: 'p2' }).field({ scores: false, addr: false, tags: false }).get();
    expect(data).toEqual([{ _id: 'p2', name: 'bob', age: 25 }]);
    expect((await h.db.collection('people').where({ 'addr.city': 'SH' }).count()).total).toBe(2);
  });

  test('aggregate: match, group, sort', async () => {
    const res = await h.db.collection('people').aggregate().match({ age: _.gte(25) }).group({ _id: '$addr.city', n: h.db.command.aggregate.sum(1) }).sort({ n: -1, _id: 1 }).end();
    expect(res.list).toEqual([{ _id: 'SH', n: 2 }, { _id: 'BJ', n: 1 }, { _id: 'GZ', n: 1 }]);
  });
});

describe('update operators', () => {
  const ref = () => h.db.collection('misc').doc('u1');
  beforeEach(async () => {
    await ref().set({ data: { n: 10, m: 3, arr: [1, 2, 3], set: ['x'], obj: { a: 1, b: 2 }, lo: 5, hi: 5, old: 'v' } });
  });
  const get = async () => (await ref().get()).data;

  test('inc, mul, set (object value), remove, min, max', async () => {
    await ref().update({ data: { n: _.inc(5), m: _.mul(2), obj: _.set({ c: 3 }), lo: _.min(1), hi: _.max(9), old: _.remove() } });
    await h.db.collection('misc').doc('u1').update({ data: { m: _.inc(-1) } });
    const d = await get();
    expect(d).toMatchObject({ n: 15, m: 5, obj: { c: 3 }, lo: 1, hi: 9 });
    expect(d).not.toHaveProperty('old');
  });

  test('push, pop, shift, unshift, pull, pullAll, addToSet', async () => {
    await ref().update({ data: { arr: _.push([4, 5]) } });
    expect((await get()).arr).toEqual([1, 2, 3, 4, 5]);
    await ref().update({ data: { arr: _.pop() } });
    await ref().update({ data: { arr: _.shift() } });
    expect((await get()).arr).toEqual([2, 3, 4]);
    await ref().update({ data: { arr: _.unshift([0, 1]) } });
    expect((await get()).arr).toEqual([0, 1, 2, 3, 4]);
    await ref().update({ data: { arr: _.pull(_.gt(2)) } });
    expect((await get()).arr).toEqual([0, 1, 2]);
    await ref().update({ data: { arr: _.pullAll([0, 2]) } });
    expect((await get()).arr).toEqual([1]);
    await ref().update({ data: { set: _.addToSet('x') } });
    await ref().update({ data: { set: _.addToSet('y') } });
    expect((await get()).set).toEqual(['x', 'y']);
  });

  test('dotted-path update of nested and array element fields', async () => {
    await ref().update({ data: { 'obj.a': _.inc(1), 'arr.0': 100 } });
    const d = await get();
    expect(d.obj).toEqual({ a: 2, b: 2 });
    expect(d.arr[0]).toBe(100);
  });

  test('an update that would change _id is refused on the wire (the SDK checks too) and nothing changes', async () => {
    const { json } = await postJson(h.emu.adminUrl, {
      action: 'database.modifyDocument', collectionName: 'misc', queryType: 'WHERE',
      query: '{"_id":"u1"}', data: '{"$set":{"_id":"other"}}', multi: false, merge: true, upsert: false,
    });
    expect(json.code).toBe('DATABASE_REQUEST_FAILED');
    expect(json.message).toMatch(/immutable field '_id'/);
    expect((await get()).n).toBe(10);
  });
});

describe('server values', () => {
  test('db.serverDate() is stamped by the emulator clock, with offset', async () => {
    const before = Date.now();
    const { _id } = await h.db.collection('misc').add({ data: { at: h.db.serverDate(), later: h.db.serverDate({ offset: 60_000 }) } });
    const after = Date.now();
    const { data } = await h.db.collection('misc').doc(_id).get();
    expect(data.at).toBeInstanceOf(Date);
    expect(data.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(data.at.getTime()).toBeLessThanOrEqual(after);
    expect(data.later.getTime() - data.at.getTime()).toBe(60_000);
    expect((await h.db.collection('misc').where({ _id, at: _.lte(h.db.serverDate()) }).count()).total).toBe(1);
  });

  test('dates compare as dates in queries', async () => {
    await h.db.collection('misc').add({ data: [{ k: 'd', t: new Date('2020-01-01') }, { k: 'd', t: new Date('2030-01-01') }] });
    const { data } = await h.db.collection('misc').where({ k: 'd', t: _.gt(new Date('2025-01-01')) }).get();
    expect(data.map((d: any) => d.t.getUTCFullYear())).toEqual([2030]);
  });
});

describe('limits', () => {
  beforeAll(async () => {
    const docs = Array.from({ length: 1100 }, (_x, i) => ({ i }));
    for (let k = 0; k < docs.length; k += 500) await h.db.collection('big').add({ data: docs.slice(k, k + 500) });
  });
  test('get() returns 100 by default, limit(n) honours n and caps at 1000; count() is exact', async () => {
    expect((await h.db.collection('big').get()).data).toHaveLength(100);
    expect((await h.db.collection('big').limit(250).get()).data).toHaveLength(250);
    expect((await h.db.collection('big').limit(5000).get()).data).toHaveLength(1000);
    expect((await h.db.collection('big').count()).total).toBe(1100);
    const page = await h.db.collection('big').orderBy('i', 'asc').skip(1090).limit(100).get();
    expect(page.data.map((d: any) => d.i)).toEqual([1090, 1091, 1092, 1093, 1094, 1095, 1096, 1097, 1098, 1099]);
  });
});

describe('raw wire', () => {
  test('modifyAndReturnDoc answers the updated document as EJSON; no match answers doc null', async () => {
    await h.db.collection('misc').doc('mr1').set({ data: { n: 1 } });
    const hit = await postJson(h.emu.adminUrl, { action: 'database.modifyAndReturnDoc', collectionName: 'misc', queryType: 'WHERE', query: '{"_id":"mr1"}', data: '{"$inc":{"n":{"$numberInt":"2"}}}' });
    expect(hit.json.data.updated).toBe(1);
    expect(hit.json.data.doc).toBe('{"_id":"mr1","n":{"$numberInt":"3"}}');
    const miss = await postJson(h.emu.adminUrl, { action: 'database.modifyAndReturnDoc', collectionName: 'misc', queryType: 'WHERE', query: '{"_id":"none"}', data: '{"$inc":{"n":1}}' });
    expect(miss.json.data).toEqual({ updated: 0, doc: null });
  });

  test('errors are HTTP 200 {requestId, code, message}: unknown action, bad EJSON, wrong env', async () => {
    const unknown = await postJson(h.emu.adminUrl, { action: 'storage.getTempFileURL' });
    expect(unknown.status).toBe(200);
    expect(unknown.json).toMatchObject({ requestId: expect.any(String), code: 'INVALID_ACTION' });
    const bad = await postJson(h.emu.adminUrl, { action: 'database.getDocument', collectionName: 'misc', query: '{not json' });
    expect(bad.json.code).toBe('INVALID_PARAM');
    const env = await postJson(`${h.emu.adminUrl}?env=someone-else`, { action: 'database.getDocument', collectionName: 'misc' });
    expect(env.json.code).toBe('INVALID_PARAM');
    expect(env.json.message).toMatch(/not served/);
  });
});
