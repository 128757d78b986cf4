/**
 * One environment's database: collections in memory, every change made durable in the env's
 * log before it is acknowledged. Changes are whole-document puts/deletes grouped into one
 * record per logical write (a multi-update or a transaction commit is one record: all or none
 * survives a crash). Each document carries the sequence number of its last write, which
 * transactions use to detect conflicts.
 *
 * Compaction (once the log outgrows max(8 MiB, 2x the last compacted size)) runs beside the writes:
 * DurableLog.compact() pulls the snapshot below slice by slice while requests go on. The snapshot
 * iterates the live Maps, so a document changed meanwhile may be taken in its newer version; that
 * is sound because every change is applied in memory and appended as a record in the same turn
 * (commit()), records are whole-document puts/deletes, and the records written after the start
 * follow the snapshot in the new file: replaying them gives exactly the state at the switch. Stored
 * documents are never mutated in place (updates build a new document: dbops.applyUpdate).
 */
import path from 'node:path';
import { decodeEJSON, encodeEJSON, type Doc } from './ejson';
import { collectionMissing } from './errors';
import { FieldIndex, indexableValues } from './field-index';
import type { CompactionReport } from '../shared/wal';
import { describeRepair, DurableLog } from './wal';

export type Op =
  | { op: 'coll'; c: string }
  | { op: 'put'; c: string; doc: Doc }
  | { op: 'del'; c: string; id: unknown };

export interface Collection {
  name: string;
  docs: Map<string, Doc>;
  versions: Map<string, number>;
  /** seq of the last committed write to any document of this collection */
  lastWrite: number;
  /** Hash indexes on the first field of each declared index (field-index.ts); empty when none. */
  indexes: FieldIndex[];
  /** With indexes: each key's place in `docs`' insertion order, so indexed answers keep natural order. */
  positions: Map<string, number>;
  nextPosition: number;
}

/**
 * The documents that may match `query`, from the narrowest index serving one of its top-level
 * equality / `in` conditions, in natural order; undefined when no index serves it (scan instead).
 */
export function indexedCandidates(c: Collection, query: Doc | undefined): Doc[] | undefined {
  if (!query || c.indexes.length === 0) return undefined;
  let best: { index: FieldIndex; values: unknown[]; n: number } | undefined;
  for (const conditions of conjuncts(query)) {
    for (const index of c.indexes) {
      if (!Object.prototype.hasOwnProperty.call(conditions, index.field)) continue;
      const values = indexableValues(conditions[index.field]);
      if (!values) continue;
      const n = index.count(values);
      if (!best || n < best.n) best = { index, values, n };
    }
  }
  if (!best) return undefined;
  const keys = [...best.index.keys(best.values)];
  keys.sort((a, b) => c.positions.get(a)! - c.positions.get(b)!);
  return keys.map((k) => c.docs.get(k)!);
}

/** Map key for an _id: strings and numbers never collide ("1" vs 1 are different ids). */
export function idKey(id: unknown): string {
  if (typeof id === 'string') return `s${id}`;
  if (typeof id === 'number') return `n${id}`;
  return `j${encodeEJSON({ id })}`;
}

/**
 * The query and every `$and` branch within it (a page after the first: `and(marked, or(after…))`,
 * lib/orders/audit.ts): each must hold, so any one's indexable condition bounds the matches.
 */
function* conjuncts(query: Doc, depth = 0): Generator<Doc> {
  yield query;
  const branches = query.$and;
  if (!Array.isArray(branches) || depth > 8) return;
  for (const b of branches) if (b && typeof b === 'object' && !Array.isArray(b)) yield* conjuncts(b as Doc, depth + 1);
}

/** Move a key's index entries from its stored document to `next` (undefined: deleted). Before docs changes. */
function reindex(c: Collection, key: string, next: Doc | undefined): void {
  const old = c.docs.get(key);
  if (old) for (const index of c.indexes) index.remove(key, old);
  if (!next) {
    c.positions.delete(key);
    return;
  }
  // A replaced document keeps its place in the Map's order; a new one (or one put back) goes last.
  if (!old) c.positions.set(key, c.nextPosition++);
  for (const index of c.indexes) index.add(key, next);
}

/** The first field of each declared index, per collection, without repeats. */
function firstFields(indexes: Readonly<Record<string, ReadonlyArray<readonly string[]>>>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [c, list] of Object.entries(indexes)) {
    const fields = [...new Set(list.map((fields) => fields[0]).filter((f): f is string => typeof f === 'string' && f !== '' && f !== '_id' && !f.includes('.')))];
    if (fields.length) out.set(c, fields);
  }
  return out;
}

const MIN_COMPACT_BYTES = 8 << 20;
/** Documents per snapshot record: small records keep each encoding step short. */
const SNAPSHOT_BATCH = 100;

export interface EnvStoreOptions {
  /** Compact once the log holds max(this, 2x the last compacted size) bytes (default 8 MiB). */
  compactAtBytes?: number;
  /** Declared indexes: collection → each index's fields (its first field gets a hash index). */
  indexes?: Readonly<Record<string, ReadonlyArray<readonly string[]>>>;
}

export class EnvStore {
  readonly collections = new Map<string, Collection>();
  seq = 0;
  private compactedBytes = 0;
  private compaction: Promise<void> | null = null;
  /** The last compaction done while open (benches and tests read it). */
  lastCompaction: CompactionReport | undefined;

  private constructor(
    private readonly log: DurableLog,
    private readonly report: (line: string) => void,
    private readonly minCompactBytes: number,
    /** collection → the first fields of its declared indexes */
    private readonly indexedFields: ReadonlyMap<string, string[]>,
  ) {}

  /** Open (or create) `<dataDir>/cloudbase/<envId>.log`, replaying it into memory. */
  static open(dataDir: string, envId: string, report: (line: string) => void = () => undefined, opts: EnvStoreOptions = {}): EnvStore {
    const file = path.join(dataDir, 'cloudbase', `${envId}.log`);
    const opened = DurableLog.open(file);
    const repair = describeRepair(file, opened);
    if (repair) report(repair);
    const { log, records } = opened;
    const store = new EnvStore(log, report, opts.compactAtBytes ?? MIN_COMPACT_BYTES, firstFields(opts.indexes ?? {}));
    for (const r of records) {
      const { ops } = decodeEJSON(r, 0, 'log record') as { ops: Op[] };
      store.applyOps(ops);
    }
    // Compaction on start: a log much longer than the live data is rewritten as a snapshot.
    let live = 0;
    for (const c of store.collections.values()) live += c.docs.size + 1;
    if (records.length > 2 * live + 100) log.rewrite(store.snapshot());
    store.compactedBytes = log.bytes;
    return store;
  }

  collection(name: string): Collection {
    const c = this.collections.get(name);
    if (!c) throw collectionMissing(name);
    return c;
  }

  version(c: string, key: string): number {
    return this.collections.get(c)?.versions.get(key) ?? 0;
  }

  /** Apply in memory now (so later requests see it), resolve once durable. */
  commit(ops: Op[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    this.applyOps(ops);
    const done = this.log.append(encodeEJSON({ ops }));
    this.maybeCompact();
    return done;
  }

  /** Resolves when no compaction is running (tests and benches wait for one to finish). */
  compacted(): Promise<void> {
    return this.compaction ?? Promise.resolve();
  }

  /** Start a compaction now, whatever the log's size (benches and tests); resolves when it is done. */
  compactNow(): Promise<void> {
    this.maybeCompact(true);
    return this.compacted();
  }

  private applyOps(ops: Op[]): void {
    const seq = ++this.seq;
    for (const o of ops) {
      if (o.op === 'coll') {
        if (!this.collections.has(o.c)) {
          const indexes = (this.indexedFields.get(o.c) ?? []).map((f) => new FieldIndex(f));
          this.collections.set(o.c, { name: o.c, docs: new Map(), versions: new Map(), lastWrite: seq, indexes, positions: new Map(), nextPosition: 0 });
        }
        continue;
      }
      const c = this.collection(o.c);
      c.lastWrite = seq;
      if (o.op === 'put') {
        const k = idKey(o.doc._id);
        if (c.indexes.length) reindex(c, k, o.doc);
        c.docs.set(k, o.doc);
        c.versions.set(k, seq);
      } else {
        const k = idKey(o.id);
        if (c.indexes.length) reindex(c, k, undefined);
        c.docs.delete(k);
        c.versions.delete(k);
      }
    }
  }

  /** Start a compaction in the background once the log has outgrown its bound (the commit does not wait). */
  private maybeCompact(now = false): void {
    if (this.compaction || (!now && this.log.bytes < Math.max(this.minCompactBytes, 2 * this.compactedBytes))) return;
    this.compaction = this.log.compact(this.snapshot()).then(
      (done) => {
        this.compactedBytes = done.bytes;
        this.lastCompaction = done;
      },
      (e: Error) => {
        // Try again once the log has doubled, not on every commit.
        this.compactedBytes = this.log.bytes;
        this.report(`CloudBase emulator: compaction failed, the log stays as it was (next try once it doubles): ${e.message}`);
      },
    ).finally(() => (this.compaction = null));
  }

  /** The current state as records: one per collection, then its documents in batches (read lazily). */
  private *snapshot(): Generator<string> {
    for (const c of this.collections.values()) {
      yield encodeEJSON({ ops: [{ op: 'coll', c: c.name }] });
      let batch: Op[] = [];
      for (const doc of c.docs.values()) {
        batch.push({ op: 'put', c: c.name, doc });
        if (batch.length === SNAPSHOT_BATCH) {
          yield encodeEJSON({ ops: batch });
          batch = [];
        }
      }
      if (batch.length) yield encodeEJSON({ ops: batch });
    }
  }

  async close(): Promise<void> {
    await this.compacted();
    return this.log.close();
  }
}
