/**
 * The `database.*` actions of the TCB admin API, as @cloudbase/database sends them
 * (see ../../shared notes): parameters are EJSON strings, answers carry EJSON strings.
 * Each handler: parse → read (committed state or transaction view) → compute whole-document
 * ops → inject faults → commit durably (or buffer in the transaction) → answer.
 */
import { randomBytes } from 'node:crypto';
import { aggregate, ProcessingMode } from 'mingo';
import { applyUpdate, findDocs, matchDocs, upsertBase, type DocSource, type FindOptions } from './dbops';
import { decodeEJSON, encodeEJSON, type Doc } from './ejson';
import { TCB_CODES, TcbError, duplicateKey, invalidParam } from './errors';
import type { Faults } from './faults';
import { LIMITS } from './limits';
import { sameDoc } from './same-doc';
import { checkCollectionName, checkStoredDocument, notEmulated } from './rules';
import { idKey, indexedCandidates, type EnvStore, type Op } from './store';
import type { TxnManager } from './transactions';

export interface DbContext {
  store: EnvStore;
  txns: TxnManager;
  faults: Faults;
  now: () => number;
}

type Body = Record<string, unknown>;
type Answer = Record<string, unknown>;

const newId = (): string => randomBytes(16).toString('hex');

function collectionName(b: Body): string {
  const c = b.collectionName;
  if (typeof c !== 'string' || c.length === 0) throw invalidParam('collectionName must be a non-empty string');
  return c;
}

function objectParam(b: Body, key: string, ctx: DbContext): Doc | undefined {
  if (b[key] === undefined || b[key] === '') return undefined;
  const v = decodeEJSON(b[key], ctx.now(), key);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalidParam(`${key} must be an EJSON object`);
  return v as Doc;
}

/** order arrives as `{"field": 1|-1}` (current SDK) or `[{field, direction}]` (older SDKs). */
function orderParam(b: Body, ctx: DbContext): FindOptions['order'] {
  if (b.order === undefined) return undefined;
  const v = decodeEJSON(b.order, ctx.now(), 'order');
  const order: Record<string, 1 | -1> = {};
  if (Array.isArray(v)) for (const o of v as { field: string; direction: string }[]) order[o.field] = o.direction === 'desc' ? -1 : 1;
  else for (const [k, d] of Object.entries(v as Doc)) order[k] = d === -1 || d === 'desc' ? -1 : 1;
  return order;
}

/**
 * Inside a transaction the real service allows only single-document operations (doc(id).get/set/
 * update/remove and add): a where() query that carries the transactionId is refused.
 */
function source(ctx: DbContext, b: Body, c: string): DocSource {
  if (typeof b.transactionId === 'string' && b.transactionId) {
    if (b.queryType !== undefined && b.queryType !== 'DOC') {
      throw new TcbError(TCB_CODES.DATABASE_REQUEST_FAILED, `where() queries are not allowed in a transaction (only doc(id).get/set/update/remove and add are): use transaction.collection('${c}').doc(id)`);
    }
    return ctx.txns.get(b.transactionId).source(c);
  }
  const coll = ctx.store.collection(c);
  return { get: (k) => coll.docs.get(k), values: () => coll.docs.values(), candidates: (q) => indexedCandidates(coll, q) };
}

/** A plain write hit a document a transaction has locked: wait for it to end, then redo the write. */
class LockWait {
  constructor(readonly until: Promise<void>) {}
}

async function write(ctx: DbContext, b: Body, action: string, ops: Op[]): Promise<void> {
  const inTxn = typeof b.transactionId === 'string' && b.transactionId;
  if (!inTxn && ops.length) {
    const ids = ops.map((o) => (o.op === 'put' ? o.doc._id : o.op === 'del' ? o.id : undefined));
    const locked = ctx.txns.lockedBy(ops[0].c, ids);
    if (locked) throw new LockWait(locked);
  }
  ctx.faults.beforeWrite(action);
  if (inTxn) ctx.txns.get(b.transactionId as string).buffer(ops);
  else await ctx.store.commit(ops);
}

type Handler = (ctx: DbContext, b: Body) => Answer | Promise<Answer>;

/** Plain writes block on transaction locks ("普通的更新操作会被阻塞，直到事务锁释放或者超时"), then re-read. */
function waitingForLocks(h: Handler): Handler {
  return async (ctx, b) => {
    for (;;) {
      try {
        return await h(ctx, b);
      } catch (e) {
        if (!(e instanceof LockWait)) throw e;
        await e.until;
      }
    }
  };
}

async function insertDocument(ctx: DbContext, b: Body): Promise<Answer> {
  const c = collectionName(b);
  const src = source(ctx, b, c);
  if (!Array.isArray(b.data) || b.data.length === 0) throw invalidParam('data must be a non-empty array of EJSON documents');
  const seen = new Set<string>();
  const ops: Op[] = b.data.map((raw) => {
    const doc = decodeEJSON(raw, ctx.now(), 'data') as Doc;
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw invalidParam('each inserted document must be an object');
    const withId: Doc = doc._id === undefined ? { _id: newId(), ...doc } : doc;
    const k = idKey(withId._id);
    if (seen.has(k) || src.get(k)) throw duplicateKey(c, withId._id);
    checkStoredDocument(withId);
    seen.add(k);
    return { op: 'put', c, doc: withId };
  });
  await write(ctx, b, 'insertDocument', ops);
  return { data: { insertedIds: ops.map((o) => (o as { doc: Doc }).doc._id) } };
}

function getDocument(ctx: DbContext, b: Body): Answer {
  const c = collectionName(b);
  const limit = typeof b.limit === 'number' ? b.limit : undefined;
  const offset = typeof b.offset === 'number' ? b.offset : undefined;
  const docs = findDocs(source(ctx, b, c), objectParam(b, 'query', ctx), { order: orderParam(b, ctx), offset, limit, projection: objectParam(b, 'projection', ctx) });
  return { data: { list: docs.map(encodeEJSON) } };
}

function calculateDocument(ctx: DbContext, b: Body): Answer {
  const c = collectionName(b);
  return { data: { total: matchDocs(source(ctx, b, c), objectParam(b, 'query', ctx)).length } };
}

async function modifyDocument(ctx: DbContext, b: Body): Promise<Answer> {
  const c = collectionName(b);
  const src = source(ctx, b, c);
  const query = objectParam(b, 'query', ctx);
  const data = objectParam(b, 'data', ctx);
  if (!data) throw invalidParam('data must be an EJSON object');
  const merge = b.merge !== false;
  const matched = matchDocs(src, query, b.multi === true ? Infinity : 1);
  const ops: Op[] = [];
  for (const d of matched) {
    const next = applyUpdate(d, data, merge, query);
    if (!sameDoc(d, next)) {
      checkStoredDocument(next);
      ops.push({ op: 'put', c, doc: next });
    }
  }
  let upsertId: unknown;
  if (matched.length === 0 && b.upsert === true) {
    const base = upsertBase(query, newId);
    const doc = merge ? applyUpdate(base, data, true) : { _id: base._id, ...applyUpdate(base, data, false) };
    if (src.get(idKey(doc._id))) throw duplicateKey(c, doc._id);
    checkStoredDocument(doc);
    ops.push({ op: 'put', c, doc });
    upsertId = doc._id;
  }
  await write(ctx, b, 'modifyDocument', ops);
  const updated = upsertId === undefined ? ops.length : 0;
  return { data: { updated, ...(upsertId !== undefined ? { upsert_id: upsertId } : {}) } };
}

async function removeDocument(ctx: DbContext, b: Body): Promise<Answer> {
  const c = collectionName(b);
  const matched = matchDocs(source(ctx, b, c), objectParam(b, 'query', ctx), b.multi === true ? Infinity : 1);
  await write(ctx, b, 'removeDocument', matched.map((d) => ({ op: 'del', c, id: d._id })));
  return { data: { deleted: matched.length } };
}

async function modifyAndReturnDoc(ctx: DbContext, b: Body): Promise<Answer> {
  const c = collectionName(b);
  const data = objectParam(b, 'data', ctx);
  if (!data) throw invalidParam('data must be an EJSON object');
  const query = objectParam(b, 'query', ctx);
  const [d] = matchDocs(source(ctx, b, c), query, 1);
  if (!d) return { data: { updated: 0, doc: null } };
  const next = applyUpdate(d, data, true, query);
  const changed = !sameDoc(d, next);
  if (changed) checkStoredDocument(next);
  await write(ctx, b, 'modifyAndReturnDoc', changed ? [{ op: 'put', c, doc: next }] : []);
  return { data: { updated: changed ? 1 : 0, doc: encodeEJSON(next) } };
}

/**
 * Like the real service: without a `$limit` stage at most 20 results come back (the SDK sends no
 * limit); `$lookup` from a collection that does not exist joins `[]`; a field whose expression has
 * no value (`$arrayElemAt` past the end) is left out, not sent as null.
 */
function aggregateDocuments(ctx: DbContext, b: Body): Answer {
  const c = collectionName(b);
  const coll = ctx.store.collection(c);
  if (!Array.isArray(b.stages)) throw invalidParam('stages must be an array of {stageKey, stageValue}');
  const pipeline = (b.stages as { stageKey?: unknown; stageValue?: unknown }[]).map((s) => {
    if (typeof s.stageKey !== 'string' || !s.stageKey.startsWith('$')) throw invalidParam('stageKey must be a string starting with $');
    if (s.stageKey === '$geoNear') throw notEmulated('aggregate().geoNear');
    return { [s.stageKey]: decodeEJSON(s.stageValue, ctx.now(), 'stageValue') };
  });
  if (!pipeline.some((stage) => '$limit' in stage)) pipeline.push({ $limit: LIMITS.aggregateDefault.value });
  try {
    const out = aggregate([...coll.docs.values()], pipeline, {
      processingMode: ProcessingMode.CLONE_INPUT,
      collectionResolver: (name) => [...(ctx.store.collections.get(name)?.docs.values() ?? [])],
    });
    return { data: { list: out.map((d) => encodeEJSON(withoutUndefined(d))) } };
  } catch (e) {
    if (e instanceof TcbError) throw e;
    throw new TcbError(TCB_CODES.DATABASE_REQUEST_FAILED, `aggregate failed: ${(e as Error).message}`);
  }
}

/** mingo leaves `field: undefined` where MongoDB leaves the field out (EJSON would send null). */
function withoutUndefined(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof RegExp || (value as { _bsontype?: unknown })._bsontype) return value;
  if (Array.isArray(value)) return value.map(withoutUndefined);
  const out: Doc = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
  return out;
}

async function addCollection(ctx: DbContext, b: Body): Promise<Answer> {
  const c = collectionName(b);
  checkCollectionName(c);
  if (ctx.store.collections.has(c)) throw new TcbError(TCB_CODES.DATABASE_COLLECTION_ALREADY_EXIST, `[CreateTable] Table exist: ${c}.`);
  await ctx.store.commit([{ op: 'coll', c }]);
  return {};
}

function txnId(b: Body): string {
  if (typeof b.transactionId !== 'string' || !b.transactionId) throw invalidParam('transactionId is required');
  return b.transactionId;
}

export const DATABASE_ACTIONS: Record<string, Handler> = {
  'database.insertDocument': waitingForLocks(insertDocument),
  'database.getDocument': getDocument,
  'database.calculateDocument': calculateDocument,
  'database.modifyDocument': waitingForLocks(modifyDocument),
  'database.removeDocument': waitingForLocks(removeDocument),
  'database.modifyAndReturnDoc': waitingForLocks(modifyAndReturnDoc),
  'database.aggregateDocuments': aggregateDocuments,
  'database.addCollection': addCollection,
  'database.startTransaction': (ctx) => ({ transactionId: ctx.txns.start() }),
  'database.commitTransaction': async (ctx, b) => {
    ctx.faults.beforeWrite('commitTransaction');
    await ctx.txns.commit(txnId(b));
    return {};
  },
  'database.abortTransaction': (ctx, b) => {
    ctx.txns.abort(txnId(b));
    return {};
  },
};
