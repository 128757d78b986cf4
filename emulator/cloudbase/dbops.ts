/**
 * Query / update semantics over in-memory documents, delegated to mingo (MongoDB semantics),
 * plus the few TCB-specific rules (limits, `_id` immutability, upsert base document).
 */
import { find, Query, update as mingoUpdate } from 'mingo';
import type { Doc } from './ejson';
import { plainEquality } from './equality';
import { simpleUpdate } from './simple-update';
import { TCB_CODES, TcbError } from './errors';
import { LIMITS } from './limits';
import { checkQuery, checkUpdate } from './rules';
import { idKey } from './store';

/** A readable view of one collection (committed state, or a transaction's overlay). */
export interface DocSource {
  get(key: string): Doc | undefined;
  values(): Iterable<Doc>;
  /** The documents that may match, in natural order, when a declared index serves the query (store.ts). */
  candidates?(query: Doc | undefined): Doc[] | undefined;
}

export interface FindOptions {
  order?: Record<string, 1 | -1>;
  offset?: number;
  limit?: number;
  projection?: Doc;
}

export const DEFAULT_LIMIT = LIMITS.getDefault.value;
export const MAX_LIMIT = LIMITS.getMax.value;

function dbFail(e: unknown): TcbError {
  return e instanceof TcbError ? e : new TcbError(TCB_CODES.DATABASE_REQUEST_FAILED, (e as Error).message);
}

/**
 * A query with `_id: scalar` (alone, or with other conditions such as `{_id, status}`) is answered
 * by key lookup instead of a scan, as the real service's `_id` index does: at most one document
 * can match, so only that one is tested against the rest of the query.
 */
function idEquality(query: Doc | undefined): unknown {
  const v = query?._id;
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

/**
 * `_id: {$in: [scalars]}`, or a `$or` whose every branch names one `_id` (a batch of conditional
 * updates in one request, lib/orders/audit.ts): answered by key lookups too, as the real service's
 * `_id` index serves `in` and each `or` branch. Only the candidates: the whole query is still tested.
 */
function idList(query: Doc | undefined): unknown[] | undefined {
  const branches = query?.$or;
  if (Array.isArray(branches) && branches.length > 0) {
    const ids = branches.map((b) => idEquality(b as Doc));
    return ids.every((id) => id !== undefined) ? ids : undefined;
  }
  const v = query?._id as Doc | undefined;
  if (!v || typeof v !== 'object' || Array.isArray(v) || Object.keys(v).length !== 1 || !Array.isArray(v.$in)) return undefined;
  return v.$in.every((x) => typeof x === 'string' || typeof x === 'number') ? (v.$in as unknown[]) : undefined;
}

/** All documents matching the query, in natural (insertion) order (key-lookup order for `_id` in); a declared index narrows what is tested. */
export function matchDocs(source: DocSource, query: Doc | undefined, max = Infinity): Doc[] {
  let test: (d: Doc) => boolean = () => true;
  if (query && Object.keys(query).length > 0) {
    checkQuery(query);
    const compile = (): Query => {
      try {
        return new Query(query);
      } catch (e) {
        throw dbFail(e);
      }
    };
    // Plain equality is tested directly (equality.ts); mingo only for what that cannot decide.
    const fast = plainEquality(query);
    let q = fast ? undefined : compile();
    test = fast ? (d) => fast(d) ?? (q ??= compile()).test(d) : (d) => q!.test(d);
  }
  const id = idEquality(query);
  if (id !== undefined) {
    const d = source.get(idKey(id));
    return d && test(d) ? [d] : [];
  }
  const ids = idList(query);
  if (ids !== undefined) {
    const out: Doc[] = [];
    for (const one of new Set(ids)) {
      const d = source.get(idKey(one as string | number));
      if (d && test(d)) out.push(d);
      if (out.length >= max) break;
    }
    return out;
  }
  const out: Doc[] = [];
  for (const d of source.candidates?.(query) ?? source.values()) {
    if (test(d)) {
      out.push(d);
      if (out.length >= max) break;
    }
  }
  return out;
}

export function findDocs(source: DocSource, query: Doc | undefined, opts: FindOptions): Doc[] {
  const offset = Math.max(0, opts.offset ?? 0);
  const limit = Math.min(Math.max(1, opts.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
  const hasOrder = opts.order && Object.keys(opts.order).length > 0;
  // Without a sort the scan can stop as soon as offset+limit matches are found.
  const matched = matchDocs(source, query, hasOrder ? Infinity : offset + limit);
  const projection = opts.projection && Object.keys(opts.projection).length ? opts.projection : undefined;
  // Nothing to sort or project: the page is a slice (mingo's cursor would only copy its option tables).
  if (!hasOrder && !projection) return matched.slice(offset, offset + limit);
  // Only top-level fields included (what every batched lookup sends): picked directly. mingo's
  // projection walks each document through its path resolver (~17 % of the emulator's time in the
  // 100k-row bills bench); anything else still goes to mingo.
  if (!hasOrder && projection && isTopLevelInclusion(projection)) return matched.slice(offset, offset + limit).map((d) => pick(d, projection));
  try {
    let cursor = find(matched, {}, projection);
    if (hasOrder) cursor = cursor.sort(opts.order as Record<string, 1 | -1>);
    const docs = cursor.skip(offset).limit(limit).all() as Doc[];
    // mingo's projection moves _id last; MongoDB (and so TCB) keeps it first.
    return opts.projection ? docs.map((d) => ('_id' in d ? { _id: d._id, ...d } : d)) : docs;
  } catch (e) {
    throw dbFail(e);
  }
}

/** {a: true, b: 1, _id?: true|1}: top-level names only, every one included. */
export function isTopLevelInclusion(projection: Doc): boolean {
  return Object.entries(projection).every(([k, v]) => (v === true || v === 1) && k !== '' && !k.includes('.') && !k.startsWith('$'));
}

/** The included fields of a document, _id first (included unless excluded, as in MongoDB). */
function pick(d: Doc, projection: Doc): Doc {
  const out: Doc = '_id' in d ? { _id: d._id } : {};
  for (const k of Object.keys(projection)) if (k !== '_id' && k in d && d[k] !== undefined) out[k] = d[k];
  return out;
}

function hasOperators(data: Doc): boolean {
  return Object.keys(data).some((k) => k.startsWith('$'));
}

/**
 * A deep copy of a stored value, made with this realm's constructors. Not structuredClone: that
 * builds its Dates in Node's main realm, and under a vm context (jest) mingo's instanceof checks
 * then stop treating them as dates, so an equality query on a copied date stops matching. Dates,
 * RegExps, arrays and plain objects are copied; bson values (Long, Decimal128, …) are immutable and shared.
 */
export function cloneValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneValue);
  const tag = Object.prototype.toString.call(v);
  if (tag === '[object Date]') return new Date((v as Date).getTime());
  if (tag === '[object RegExp]') return new RegExp((v as RegExp).source, (v as RegExp).flags);
  if (typeof (v as { _bsontype?: unknown })._bsontype === 'string') return v;
  const out: Doc = {};
  for (const k of Object.keys(v)) out[k] = cloneValue((v as Doc)[k]);
  return out;
}

/**
 * The document after applying `data`: merge=false replaces (keeping _id), merge=true applies
 * update operators (plain fields are treated as $set, as the SDK would have encoded them).
 * `query` is the query that matched `doc`: MongoDB's positional `items.$.qty` resolves against it.
 */
export function applyUpdate(doc: Doc, data: Doc, merge: boolean, query?: Doc): Doc {
  if (!merge) {
    if (hasOperators(data)) throw new TcbError(TCB_CODES.DATABASE_REQUEST_FAILED, 'update operators are not allowed in a replacement (set) document');
    if ('_id' in data && idKey(data._id) !== idKey(doc._id)) throw immutableId();
    return { ...cloneValue(data) as Doc, _id: doc._id };
  }
  const modifier: Doc = {};
  for (const [k, v] of Object.entries(data)) {
    if (k.startsWith('$')) modifier[k] = v;
    else modifier.$set = { ...((modifier.$set as Doc) ?? {}), [k]: v };
  }
  checkUpdate(doc, modifier);
  const simple = simpleUpdate(doc, modifier, cloneValue);
  if (simple) {
    if (idKey(simple._id) !== idKey(doc._id)) throw immutableId();
    return simple;
  }
  const next = cloneValue(doc) as Doc;
  // Only a positional path needs the query (mingo re-tests it against the document).
  const condition = query && usesPositional(modifier) ? query : undefined;
  try {
    mingoUpdate(next, modifier as never, undefined, condition as never, { cloneMode: 'deep' });
  } catch (e) {
    throw dbFail(e);
  }
  if (idKey(next._id) !== idKey(doc._id)) throw immutableId();
  return next;
}

function usesPositional(modifier: Doc): boolean {
  return Object.values(modifier).some((fields) => fields !== null && typeof fields === 'object' && Object.keys(fields).some((p) => /(^|\.)\$(\.|$)/.test(p)));
}

function immutableId(): TcbError {
  return new TcbError(TCB_CODES.DATABASE_REQUEST_FAILED, "Performing an update on the path '_id' would modify the immutable field '_id'");
}

/** Base document for an upsert: the query's plain equality fields, like MongoDB. */
export function upsertBase(query: Doc | undefined, newId: () => string): Doc {
  const base: Doc = {};
  for (const [k, v] of Object.entries(query ?? {})) {
    if (k.startsWith('$') || k.includes('.')) continue;
    const isOperatorObject = v !== null && typeof v === 'object' && !(v instanceof Date) && !(v instanceof RegExp) && Object.keys(v).some((x) => x.startsWith('$'));
    if (!isOperatorObject && !(v instanceof RegExp)) base[k] = cloneValue(v);
  }
  if (base._id === undefined) base._id = newId();
  return base;
}
