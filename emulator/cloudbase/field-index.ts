/**
 * Secondary indexes, declared like the real service's (a deployment creates them: the local stack
 * passes lib/store/deployment.ts's list). Each declared index gets a hash index on its first field,
 * which serves the equality and `in` conditions the timer's scans lead with (`status in [...]`,
 * `booked: false`): a tick then costs what is pending, not what the collection holds.
 *
 * The index only narrows the candidates; the whole query is still tested on each of them, so the
 * semantics stay the scan's. A document whose value cannot be hashed exactly (an array, whose
 * elements MongoDB matches; a date, object or bson value) is a candidate for every lookup.
 */
import type { Doc } from './ejson';

/** Hash key of a value an equality can be decided on by identity; undefined when it cannot. */
function hashKey(v: unknown): string | undefined {
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'boolean') return v ? 'b1' : 'b0';
  if (typeof v === 'number' && Number.isFinite(v)) return `n${v}`; // -0 and 0 share "n0", as they are equal
  return undefined;
}

/** Missing and null values: no string, number or boolean equals them, so no lookup needs them. */
const ABSENT = 'a';
/** Arrays, objects, dates and bson values: MongoDB may still match them, so every lookup includes them. */
const UNHASHED = 'x';

export class FieldIndex {
  /** Slot (hashKey, ABSENT or UNHASHED) → keys of the documents whose value falls in it. */
  private readonly buckets = new Map<string, Set<string>>();

  constructor(readonly field: string) {}

  private slot(doc: Doc): string {
    const v = Object.prototype.hasOwnProperty.call(doc, this.field) ? doc[this.field] : undefined;
    if (v === undefined || v === null) return ABSENT;
    return hashKey(v) ?? UNHASHED;
  }

  add(key: string, doc: Doc): void {
    const slot = this.slot(doc);
    let b = this.buckets.get(slot);
    if (!b) this.buckets.set(slot, (b = new Set()));
    b.add(key);
  }

  remove(key: string, doc: Doc): void {
    const slot = this.slot(doc);
    const b = this.buckets.get(slot);
    if (!b) return;
    b.delete(key);
    if (b.size === 0) this.buckets.delete(slot);
  }

  /** The slots a lookup of these values reads: each value's, and the unhashed documents'. */
  private slots(values: readonly unknown[]): Set<string> {
    return new Set([...values.map((v) => hashKey(v)!), UNHASHED]);
  }

  /** How many candidates a lookup of these values yields (to pick the narrowest index). */
  count(values: readonly unknown[]): number {
    let n = 0;
    for (const slot of this.slots(values)) n += this.buckets.get(slot)?.size ?? 0;
    return n;
  }

  /** Keys of every document that may equal one of the values (each once, in no particular order). */
  *keys(values: readonly unknown[]): Generator<string> {
    for (const slot of this.slots(values)) yield* this.buckets.get(slot) ?? [];
  }
}

/**
 * The values a top-level condition can equal — `field: v`, `field: {$eq: v}`, `field: {$in: [v…]}`
 * with strings, finite numbers or booleans — else undefined (the index cannot serve it).
 */
export function indexableValues(condition: unknown): unknown[] | undefined {
  if (hashKey(condition) !== undefined) return [condition];
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) return undefined;
  const ops = Object.keys(condition);
  if (ops.length !== 1) return undefined;
  const v = (condition as Doc)[ops[0]];
  if (ops[0] === '$eq') return hashKey(v) !== undefined ? [v] : undefined;
  if (ops[0] === '$in') return Array.isArray(v) && v.every((x) => hashKey(x) !== undefined) ? v : undefined;
  return undefined;
}
