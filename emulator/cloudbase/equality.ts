/**
 * A fast path for the queries the hot paths send — plain field equality such as
 * `{_id, status: 'NOTPAY', 'amount.total': 1200, updatedAt: <date>}` — tested directly instead of
 * through a mingo Query, whose construction copies mingo's whole operator table every time.
 *
 * Only cases whose MongoDB answer is unambiguous are decided here: a string, finite number, boolean
 * or date compared with a field reached through plain objects. Anything else — operators, null,
 * arrays on the path (MongoDB matches array elements), bson values — answers `undefined`, and the
 * caller asks mingo. So the semantics stay mingo's; only the cost changes.
 */
import type { Doc } from './ejson';

type Scalar = string | number | boolean | Date;
/** true / false when decided here; undefined when mingo must decide. */
export type FastTest = (doc: Doc) => boolean | undefined;

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || isDate(v);
}

const MISSING = Symbol('missing');
const UNDECIDED = Symbol('undecided');

/** The value at a dotted path through plain objects; UNDECIDED when an array or other object is on the way. */
function resolve(doc: Doc, path: string[]): unknown {
  let v: unknown = doc;
  for (const part of path) {
    if (v === null || v === undefined) return MISSING;
    if (typeof v !== 'object') return MISSING;
    if (Array.isArray(v) || isDate(v) || typeof (v as { _bsontype?: unknown })._bsontype === 'string') return UNDECIDED;
    if (!Object.prototype.hasOwnProperty.call(v, part)) return MISSING;
    v = (v as Doc)[part];
  }
  return v;
}

function equal(field: unknown, want: Scalar): boolean | undefined {
  if (field === UNDECIDED || Array.isArray(field)) return undefined;
  if (field === MISSING || field === undefined || field === null) return false;
  if (isDate(want)) return isDate(field) ? field.getTime() === want.getTime() : typeof field === 'object' ? undefined : false;
  if (typeof field === 'object') return isDate(field) ? false : undefined; // a bson Long may equal a number: mingo decides
  return field === want;
}

/** A direct tester when every condition is `field: scalar`, else null. */
export function plainEquality(query: Doc): FastTest | null {
  const conditions: Array<[string[], Scalar]> = [];
  for (const [k, v] of Object.entries(query)) {
    if (k.startsWith('$') || k === '' || !isScalar(v)) return null;
    const path = k.split('.');
    if (path.some((p) => p === '' || /^\d+$/.test(p) || p.startsWith('$'))) return null;
    conditions.push([path, v]);
  }
  return (doc) => {
    let decided = true;
    for (const [path, want] of conditions) {
      const r = equal(resolve(doc, path), want);
      if (r === false) return false;
      if (r === undefined) decided = false;
    }
    return decided ? true : undefined;
  };
}
