/**
 * A fast path for the updates the hot paths send — `$set` of top-level fields and `$push` (`$each`)
 * onto a top-level array, e.g. an order's transition `{$set: {status, updatedAt, …}, $push:
 * {transitions: {$each: [entry]}}}` — applied directly instead of through mingo's updater, which
 * builds and copies its operator tables on every call (about a millisecond each here).
 *
 * Only these two operators on plain top-level fields are handled; anything else (dotted or positional
 * paths, other operators, `$position`/`$slice`/`$sort`, a field both set and pushed, a push onto a
 * non-array) answers undefined and the caller uses mingo. rules.ts has already refused what MongoDB
 * refuses. Same result as mingo's (property test), at a fraction of the cost.
 */
import type { Doc } from './ejson';

const plainField = (k: string): boolean => k !== '' && !k.includes('.') && !k.startsWith('$');

const isOperatorObject = (v: unknown): v is Doc =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.prototype.toString.call(v) === '[object Object]' && Object.keys(v).some((k) => k.startsWith('$'));

/** `doc` after `modifier`, built with `clone` for every value taken over; undefined when mingo must do it. */
export function simpleUpdate(doc: Doc, modifier: Doc, clone: (v: unknown) => unknown): Doc | undefined {
  for (const op of Object.keys(modifier)) if (op !== '$set' && op !== '$push') return undefined;
  const set = (modifier.$set ?? {}) as Doc;
  const push = (modifier.$push ?? {}) as Doc;
  if (!Object.keys(set).every(plainField) || !Object.keys(push).every(plainField)) return undefined;
  if (Object.keys(push).some((k) => k in set)) return undefined;
  const pushes: Array<[string, unknown[]]> = [];
  for (const [k, v] of Object.entries(push)) {
    if (!isOperatorObject(v)) pushes.push([k, [v]]);
    else if (Object.keys(v).length === 1 && Array.isArray(v.$each)) pushes.push([k, v.$each]);
    else return undefined;
    const cur = doc[k];
    if (cur !== undefined && !Array.isArray(cur)) return undefined;
  }
  const next = clone(doc) as Doc;
  for (const [k, v] of Object.entries(set)) next[k] = clone(v);
  for (const [k, items] of pushes) next[k] = [...((next[k] as unknown[] | undefined) ?? []), ...items.map(clone)];
  return next;
}
