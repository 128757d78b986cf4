/**
 * Transactions with optimistic concurrency: reads go to the committed state (plus the
 * transaction's own buffered writes) and are recorded with the version they saw; writes are
 * buffered. Commit validates that nothing the transaction read or wrote was changed by anyone
 * else since — otherwise DATABASE_TRANSACTION_CONFLICT, which the SDK's runTransaction retries.
 * Conflicts are reported at commit (not on the individual read/write) because wx-server-sdk
 * rewraps per-operation errors into errCode-only errors that runTransaction would not retry.
 */
import { randomBytes } from 'node:crypto';
import type { DocSource } from './dbops';
import type { Doc } from './ejson';
import { TCB_CODES, TcbError } from './errors';
import { idKey, type EnvStore, type Op } from './store';

/** An unfinished transaction expires this long after it started (any later use fails). */
export const TXN_TTL_MS = 60_000;

export class Txn {
  readonly startSeq: number;
  /** `${collection}\0${key}` → version seen */
  readonly reads = new Map<string, number>();
  /** collections scanned by a where-query (any later commit to them is a conflict) */
  readonly scans = new Set<string>();
  /** collection → key → new doc (null = deleted) */
  readonly writes = new Map<string, Map<string, Doc | null>>();

  constructor(readonly id: string, private readonly store: EnvStore, readonly startedAt: number) {
    this.startSeq = store.seq;
  }

  source(c: string): DocSource {
    const committed = this.store.collection(c); // throws DATABASE_COLLECTION_NOT_EXIST
    let own = this.writes.get(c);
    if (!own) this.writes.set(c, (own = new Map()));
    const mine = own;
    return {
      get: (key) => {
        if (mine.has(key)) return mine.get(key) ?? undefined;
        // Keep the FIRST version seen: re-reading must not launder a concurrent change.
        const rk = `${c}\0${key}`;
        if (!this.reads.has(rk)) this.reads.set(rk, committed.versions.get(key) ?? 0);
        return committed.docs.get(key);
      },
      values: () => {
        this.scans.add(c);
        return overlay(committed.docs, mine);
      },
    };
  }

  buffer(ops: Op[]): void {
    for (const o of ops) {
      if (o.op === 'coll') throw new TcbError(TCB_CODES.DATABASE_REQUEST_FAILED, 'collections cannot be created inside a transaction');
      let m = this.writes.get(o.c);
      if (!m) this.writes.set(o.c, (m = new Map()));
      if (o.op === 'put') m.set(idKey(o.doc._id), o.doc);
      else m.set(idKey(o.id), null);
    }
  }

  /** Null when valid, else a description of the first conflict. */
  conflict(): string | null {
    for (const [k, v] of this.reads) {
      const [c, key] = k.split('\0');
      if (this.store.version(c, key) !== v) return `document ${key.slice(1)} in ${c} changed`;
    }
    for (const c of this.scans) {
      if ((this.store.collections.get(c)?.lastWrite ?? 0) > this.startSeq) return `collection ${c} changed`;
    }
    for (const [c, m] of this.writes) {
      for (const key of m.keys()) {
        if (!this.reads.has(`${c}\0${key}`) && this.store.version(c, key) > this.startSeq) return `document ${key.slice(1)} in ${c} changed`;
      }
    }
    return null;
  }

  ops(): Op[] {
    const ops: Op[] = [];
    for (const [c, m] of this.writes) {
      for (const [key, doc] of m) {
        if (doc) ops.push({ op: 'put', c, doc });
        else {
          const old = this.store.collections.get(c)?.docs.get(key);
          if (old) ops.push({ op: 'del', c, id: old._id });
        }
      }
    }
    return ops;
  }
}

function* overlay(committed: Map<string, Doc>, own: Map<string, Doc | null>): Generator<Doc> {
  for (const [k, d] of committed) {
    if (!own.has(k)) yield d;
    else if (own.get(k)) yield own.get(k) as Doc;
  }
  for (const [k, d] of own) if (d && !committed.has(k)) yield d;
}

export class TxnManager {
  private readonly txns = new Map<string, Txn>();

  /** `now` is injectable so the expiry can be tested without waiting a minute. */
  constructor(private readonly store: EnvStore, private readonly now: () => number = Date.now) {}

  start(): string {
    const now = this.now();
    for (const [id, t] of this.txns) if (now - t.startedAt > TXN_TTL_MS) this.txns.delete(id);
    const id = randomBytes(16).toString('hex');
    this.txns.set(id, new Txn(id, this.store, now));
    return id;
  }

  /** The live transaction; an expired one is dropped here too (start() only sweeps when a new one
   *  begins), so an idle transaction can neither read, buffer, commit nor abort after its TTL. */
  get(id: string): Txn {
    const t = this.txns.get(id);
    if (t && this.now() - t.startedAt > TXN_TTL_MS) this.txns.delete(id);
    else if (t) return t;
    throw new TcbError(TCB_CODES.DATABASE_TRANSACTION_FAIL, `transaction ${id} not found (committed, aborted, conflicted or expired after ${TXN_TTL_MS / 1000}s)`);
  }

  async commit(id: string): Promise<void> {
    const t = this.get(id);
    this.txns.delete(id); // whatever happens next, this transaction is over
    const why = t.conflict();
    if (why) throw new TcbError(TCB_CODES.DATABASE_TRANSACTION_CONFLICT, `[TransactionConflict] ${why} after the transaction started; retry the transaction`);
    await this.store.commit(t.ops());
  }

  abort(id: string): void {
    this.get(id);
    this.txns.delete(id);
  }
}
