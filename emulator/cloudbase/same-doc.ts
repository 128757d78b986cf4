/**
 * "Did this update change the document?" — the answer behind `updated` (MongoDB's nModified). The
 * definition is textual: two documents are the same when their JSON texts are (RegExps written as
 * `/source/flags`), which is what `canonicalSame` computes. That serialises both whole documents on
 * every update (about 2 % of the emulator's CPU at notification rates), so `sameDoc` first walks
 * both documents side by side and decides directly wherever the texts are certain to be equal or to
 * differ: strings, finite numbers, booleans, null, valid dates, arrays and plain objects. Anything
 * else on the way (a RegExp, a bson value, undefined, NaN, a `toJSON` key…) leaves the question to
 * `canonicalSame`, so the answer is always the textual one (test/cloudbase/same-doc.test.ts).
 */
import type { Doc } from './ejson';

/** The definition: equal JSON texts. */
export function canonicalSame(a: Doc, b: Doc): boolean {
  return JSON.stringify(a, replacer) === JSON.stringify(b, replacer);
}

function replacer(this: unknown, _k: string, v: unknown): unknown {
  if (v instanceof RegExp) return `/${v.source}/${v.flags}`;
  return v;
}

const DIFFERENT = 0;
const SAME = 1;
const UNDECIDED = 2;
type Verdict = typeof DIFFERENT | typeof SAME | typeof UNDECIDED;

const isDate = (v: object): v is Date => Object.prototype.toString.call(v) === '[object Date]';

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && !Object.prototype.hasOwnProperty.call(v, 'toJSON');
}

/** A value JSON.stringify always writes out as itself (so a key holding it is never left out). */
function writtenAsIs(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'object') return false;
  return Array.isArray(v) || (isDate(v) && Number.isFinite(v.getTime())) || isPlainObject(v);
}

/**
 * SAME only when both texts are certainly equal, DIFFERENT only when both values are written out and
 * their texts certainly differ (so a DIFFERENT field makes the whole documents differ).
 */
function compare(a: unknown, b: unknown): Verdict {
  if (a === b) return SAME; // one primitive, or one object: one text
  const t = typeof a;
  if (t !== typeof b) return UNDECIDED;
  if (t === 'string' || t === 'boolean') return DIFFERENT;
  if (t === 'number') return Number.isFinite(a) && Number.isFinite(b) ? DIFFERENT : UNDECIDED;
  if (t !== 'object' || a === null || b === null) return UNDECIDED;
  const x = a as object;
  const y = b as object;
  if (Array.isArray(x)) {
    if (!Array.isArray(y)) return UNDECIDED;
    if (x.length !== y.length) return DIFFERENT;
    return compareEach(x, y, x.length);
  }
  if (isDate(x)) {
    if (!isDate(y)) return UNDECIDED;
    const [p, q] = [x.getTime(), y.getTime()];
    return !Number.isFinite(p) || !Number.isFinite(q) ? UNDECIDED : p === q ? SAME : DIFFERENT;
  }
  if (!isPlainObject(x) || Array.isArray(y) || isDate(y) || !isPlainObject(y)) return UNDECIDED;
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  let sameKeys = kx.length === ky.length;
  for (let i = 0; sameKeys && i < kx.length; i++) sameKeys = kx[i] === ky[i];
  if (!sameKeys) {
    // Every value written out: the texts name different keys, so they differ.
    const all = (o: object, keys: string[]): boolean => keys.every((k) => writtenAsIs((o as Doc)[k]));
    return all(x, kx) && all(y, ky) ? DIFFERENT : UNDECIDED;
  }
  let verdict: Verdict = SAME;
  for (const k of kx) {
    const v = compare((x as Doc)[k], (y as Doc)[k]);
    if (v === DIFFERENT) return DIFFERENT;
    if (v === UNDECIDED) verdict = UNDECIDED;
  }
  return verdict;
}

function compareEach(x: unknown[], y: unknown[], n: number): Verdict {
  let verdict: Verdict = SAME;
  for (let i = 0; i < n; i++) {
    const v = compare(x[i], y[i]);
    if (v === DIFFERENT) return DIFFERENT;
    if (v === UNDECIDED) verdict = UNDECIDED;
  }
  return verdict;
}

/** Structural equality by JSON text (used to report "updated" like MongoDB's nModified). */
export function sameDoc(a: Doc, b: Doc): boolean {
  const v = compare(a, b);
  return v === UNDECIDED ? canonicalSame(a, b) : v === SAME;
}
