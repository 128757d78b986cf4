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
}

/** Map key for an _id: strings and numbers never collide ("1" vs 1 are different ids). */
export function idKey(id: unknown): string {
  if (typeof id === 'string') return `s${id}`;
  if (typeof id === 'number') return `n${id}`;
  return `j${encodeEJSON({ id })}`;
}

const MIN_COMPACT_BYTES = 8 << 20;
/** Documents per snapshot record: small records keep each encoding step short. */
const SNAPSHOT_BATCH = 100;

export interface EnvStoreOptions {
  /** Compact once the log holds max(this, 2x the last compacted size) bytes (default 8 MiB). */
  compactAtBytes?: number;
}

export class EnvStore {
  readonly collections = new Map<string, Collection>();
  seq = 0;
  private compactedBytes = 0;
  private compaction: Promise<void> | null = null;
  /** The last compaction done while open (benches and tests read it). */
  lastCompaction: CompactionReport | undefined;

  private constructor(private readonly log: DurableLog, private readonly report: (line: string) => void, private readonly minCompactBytes: number) {}

  /** Open (or create) `<dataDir>/cloudbase/<envId>.log`, replaying it into memory. */
  static open(dataDir: string, envId: string, report: (line: string) => void = () => undefined, opts: EnvStoreOptions = {}): EnvStore {
    const file = path.join(dataDir, 'cloudbase', `${envId}.log`);
    const opened = DurableLog.open(file);
    const repair = describeRepair(file, opened);
    if (repair) report(repair);
    const { log, records } = opened;
    const store = new EnvStore(log, report, opts.compactAtBytes ?? MIN_COMPACT_BYTES);
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
        if (!this.collections.has(o.c)) this.collections.set(o.c, { name: o.c, docs: new Map(), versions: new Map(), lastWrite: seq });
        continue;
      }
      const c = this.collection(o.c);
      c.lastWrite = seq;
      if (o.op === 'put') {
        const k = idKey(o.doc._id);
        c.docs.set(k, o.doc);
        c.versions.set(k, seq);
      } else {
        const k = idKey(o.id);
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
