/**
 * Transactions as WeChat Cloud documents them (snapshot isolation with write locks):
 * - reads return a snapshot: the first read of a document is remembered, later reads repeat it;
 * - a write buffers the new document and LOCKS it: another transaction writing it fails at once
 *   (DATABASE_TRANSACTION_CONFLICT on that operation — which wx-server-sdk rewraps into a code-less
 *   error, so runTransaction does NOT retry it, on the real service either); a plain (non-transaction)
 *   write to a locked document waits until the lock is released (commit, abort or expiry);
 * - commit fails with DATABASE_TRANSACTION_CONFLICT (which runTransaction retries) when a document
 *   the transaction wrote was changed by someone else after the transaction first saw it.
 * Documents only read are not checked (snapshot isolation, not serialisable).
 */
import { randomBytes } from 'node:crypto';
import type { DocSource } from './dbops';
import type { Doc } from './ejson';
import { TCB_CODES, TcbError } from './errors';
import { LIMITS } from './limits';
import { idKey, type EnvStore, type Op } from './store';

/** An unfinished transaction (and its locks) expires this long after it started. */
export const TXN_TTL_MS = LIMITS.transactionTtl.value;

const lockKey = (c: string, key: string): string => `${c}\0${key}`;

export class Txn {
  readonly startSeq: number;
  /** `${collection}\0${key}` → the version and document first seen (the snapshot) */
  readonly reads = new Map<string, { version: number; doc: Doc | undefined }>();
  /** collection → key → new doc (null = deleted) */
  readonly writes = new Map<string, Map<string, Doc | null>>();
  private ended!: () => void;
  /** Settles when the transaction commits, aborts or expires (plain writes wait on it). */
  readonly done = new Promise<void>((resolve) => (this.ended = resolve));

  constructor(readonly id: string, private readonly store: EnvStore, readonly startedAt: number, private readonly locks: LockTable) {
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
        const rk = lockKey(c, key);
        let seen = this.reads.get(rk);
        if (!seen) this.reads.set(rk, (seen = { version: committed.versions.get(key) ?? 0, doc: committed.docs.get(key) }));
        return seen.doc;
      },
      // Only doc(id) operations reach a transaction (where() is refused before); an _id that is not a
      // string or number (ObjectId) is found by scanning: committed documents overlaid with our writes.
      values: () => overlay(committed.docs, mine),
    };
  }

  buffer(ops: Op[]): void {
    for (const o of ops) if (o.op !== 'coll') this.locks.take(lockKey(o.c, idKey(o.op === 'put' ? o.doc._id : o.id)), this);
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
    for (const [c, m] of this.writes) {
      for (const key of m.keys()) {
        const seen = this.reads.get(lockKey(c, key));
        const changed = seen ? this.store.version(c, key) !== seen.version : this.store.version(c, key) > this.startSeq;
        if (changed) return `document ${key.slice(1)} in ${c} changed`;
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

  end(): void {
    this.locks.releaseAll(this);
    this.ended();
  }
}

function* overlay(committed: Map<string, Doc>, own: Map<string, Doc | null>): Generator<Doc> {
  for (const [k, d] of committed) {
    if (!own.has(k)) yield d;
    else if (own.get(k)) yield own.get(k) as Doc;
  }
  for (const [k, d] of own) if (d && !committed.has(k)) yield d;
}

/** Which live transaction holds the write lock on a document. */
class LockTable {
  private readonly owners = new Map<string, Txn>();
  constructor(private readonly isLive: (t: Txn) => boolean) {}

  get size(): number {
    return this.owners.size;
  }

  take(key: string, t: Txn): void {
    const owner = this.owners.get(key);
    if (owner && owner !== t && this.isLive(owner)) {
      const [c, k] = key.split('\0');
      throw new TcbError(TCB_CODES.DATABASE_TRANSACTION_CONFLICT, `[TransactionConflict] document ${k.slice(1)} in ${c} is locked by another transaction that wrote it first; retry when it has finished`);
    }
    this.owners.set(key, t);
  }

  /** The live transaction holding a lock on one of these keys, if any. */
  holder(keys: string[]): Txn | undefined {
    for (const k of keys) {
      const t = this.owners.get(k);
      if (t && this.isLive(t)) return t;
    }
    return undefined;
  }

  releaseAll(t: Txn): void {
    for (const [k, owner] of this.owners) if (owner === t) this.owners.delete(k);
  }
}

export class TxnManager {
  private readonly txns = new Map<string, Txn>();
  private readonly locks = new LockTable((t) => this.txns.get(t.id) === t && !this.expired(t));

  /** `now` is injectable so the expiry can be tested without waiting a minute. */
  constructor(private readonly store: EnvStore, private readonly now: () => number = Date.now) {}

  private expired(t: Txn): boolean {
    return this.now() - t.startedAt > TXN_TTL_MS;
  }

  private drop(t: Txn): void {
    this.txns.delete(t.id);
    t.end();
  }

  start(): string {
    for (const t of this.txns.values()) if (this.expired(t)) this.drop(t);
    const id = randomBytes(16).toString('hex');
    const t = new Txn(id, this.store, this.now(), this.locks);
    this.txns.set(id, t);
    // Expiry releases the locks even if nobody touches the transaction again.
    setTimeout(() => this.txns.get(id) === t && this.drop(t), TXN_TTL_MS + 1).unref();
    return id;
  }

  /** The live transaction; an expired one is dropped here too (start() only sweeps when a new one
   *  begins), so an idle transaction can neither read, buffer, commit nor abort after its TTL. */
  get(id: string): Txn {
    const t = this.txns.get(id);
    if (t && this.expired(t)) this.drop(t);
    else if (t) return t;
    throw new TcbError(TCB_CODES.DATABASE_TRANSACTION_FAIL, `transaction ${id} not found (committed, aborted, conflicted or expired after ${TXN_TTL_MS / 1000}s)`);
  }

  /**
   * For a plain write about to change these documents: the end of the transaction locking one of
   * them (the write must wait for it, then re-read), or undefined when none is locked.
   */
  lockedBy(c: string, ids: unknown[]): Promise<void> | undefined {
    if (this.locks.size === 0) return undefined;
    return this.locks.holder(ids.map((id) => lockKey(c, idKey(id))))?.done;
  }

  async commit(id: string): Promise<void> {
    const t = this.get(id);
    this.txns.delete(id); // whatever happens next, this transaction is over
    try {
      const why = t.conflict();
      if (why) throw new TcbError(TCB_CODES.DATABASE_TRANSACTION_CONFLICT, `[TransactionConflict] ${why} after the transaction started; retry the transaction`);
      await this.store.commit(t.ops());
    } finally {
      t.end();
    }
  }

  abort(id: string): void {
    this.drop(this.get(id));
  }
}
