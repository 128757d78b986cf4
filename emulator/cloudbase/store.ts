/**
 * One environment's database: collections in memory, every change made durable in the env's
 * log before it is acknowledged. Changes are whole-document puts/deletes grouped into one
 * record per logical write (a multi-update or a transaction commit is one record: all or none
 * survives a crash). Each document carries the sequence number of its last write, which
 * transactions use to detect conflicts.
 */
import path from 'node:path';
import { decodeEJSON, encodeEJSON, type Doc } from './ejson';
import { collectionMissing } from './errors';
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

export class EnvStore {
  readonly collections = new Map<string, Collection>();
  seq = 0;
  private compactedBytes = 0;
  private compacting = false;

  private constructor(private readonly log: DurableLog) {}

  /** Open (or create) `<dataDir>/cloudbase/<envId>.log`, replaying it into memory. */
  static open(dataDir: string, envId: string, report: (line: string) => void = () => undefined): EnvStore {
    const file = path.join(dataDir, 'cloudbase', `${envId}.log`);
    const opened = DurableLog.open(file);
    const repair = describeRepair(file, opened);
    if (repair) report(repair);
    const { log, records } = opened;
    const store = new EnvStore(log);
    for (const r of records) {
      const { ops } = decodeEJSON(r, 0, 'log record') as { ops: Op[] };
      store.applyOps(ops);
    }
    // Compaction on start: a log much longer than the live data is rewritten as a snapshot.
    let live = 0;
    for (const c of store.collections.values()) live += c.docs.size + 1;
    if (records.length > 2 * live + 100) store.compact();
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
    return done.then(() => this.maybeCompact());
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

  private async maybeCompact(): Promise<void> {
    if (this.compacting || this.log.bytes < Math.max(MIN_COMPACT_BYTES, 2 * this.compactedBytes)) return;
    this.compacting = true;
    try {
      await this.log.idle();
      // A write may have slipped in between; it will retrigger compaction later.
      if (this.log.isIdle()) this.compact();
    } finally {
      this.compacting = false;
    }
  }

  /** Rewrite the log as the current state: one record per collection, docs in batches. */
  private compact(): void {
    const collections = this.collections;
    function* records(): Generator<string> {
      for (const c of collections.values()) {
        yield encodeEJSON({ ops: [{ op: 'coll', c: c.name }] });
        let batch: Op[] = [];
        for (const doc of c.docs.values()) {
          batch.push({ op: 'put', c: c.name, doc });
          if (batch.length === 500) {
            yield encodeEJSON({ ops: batch });
            batch = [];
          }
        }
        if (batch.length) yield encodeEJSON({ ops: batch });
      }
    }
    this.log.rewrite(records());
    this.compactedBytes = this.log.bytes;
  }

  close(): Promise<void> {
    return this.log.close();
  }
}
