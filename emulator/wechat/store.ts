/**
 * The simulator's durable state: an append-only journal (`<dataDir>/wechat/state.log`, the shared
 * CRC-framed log of emulator/shared/wal.ts) whose first record is a snapshot and whose later records
 * are the changes (persist.ts says what a record holds).
 *
 * - Acknowledged means durable: a request is answered, and a scheduled task counts as done, only
 *   after persist() resolved, i.e. its change record is written and fdatasync'ed. Concurrent callers
 *   share one write + sync (group commit). A commit writes the entries marked with state.changed()
 *   and the small fields whose encoding changed, so its cost follows the change, not the state.
 * - Compaction: once the journal after the snapshot outgrows max(4 MiB, the snapshot) (or
 *   `journalLimitBytes`), after a reset (which replaces the collections), and on clean shutdown
 *   when the journal holds anything, the whole state is written as a new file (a header record and
 *   snapshot parts, persist.ts snapshotRecords) and renamed over the old one. It runs beside the
 *   commits (DurableLog.compact in emulator/shared/wal.ts): the parts are encoded and written in
 *   slices of a few ms across event-loop turns, commits made meanwhile are written and acknowledged
 *   in the old file as usual and copied behind the snapshot before the rename, so a commit never
 *   waits for it (except the commits after a reset, which wait for the snapshot of the new state:
 *   the journal cannot say "these collections were replaced"). Amortised, it costs at most the
 *   journal's own bytes again.
 * - SIGKILL at any moment: the last record may be torn (never acknowledged: dropped on start), a
 *   compaction in progress leaves the old file (tmp not yet renamed, removed on start) or the new
 *   one; never a mixture.
 */
import fs from 'node:fs';
import { describeRepair, DurableLog, readLog, type CompactionReport, type LogErrors } from '../shared/wal';
import { resumeDelivery } from './notify';
import {
  afterLoad, applyChanges, applyLegacySnapshot, applySnapshot, changeRecord, JOURNALED, legacyStateFile,
  SimStateCorrupt, smallFieldTexts, snapshotRecords, stateLog,
} from './persist';
import { resumeRefund } from './refunds';
import type { JournaledField, SimState } from './state';
import type { Delivery } from './types';

export interface StoreOptions {
  /** Compact once the journal after the snapshot holds more bytes than this (default max(4 MiB, snapshot size)). */
  journalLimitBytes?: number;
}

/** Bytes and writes since the store opened (the bench reads them). */
export interface StoreStats {
  /** Bytes handed to the file: change records plus compactions. */
  bytesWritten: number;
  commits: number;
  compactions: number;
  compactionBytes: number;
}

export interface SimStore {
  persist(): Promise<void>;
  durable(): Promise<void>;
  /** Write the whole state as the new snapshot now (after pending writes): also what was put into the
   *  state without a mark (a bench or test seeding a ledger directly). */
  compact(): Promise<void>;
  /** Flush, fold the journal (if it holds anything) into a new snapshot, close the file. */
  close(): Promise<void>;
  stats(): StoreStats;
  /** What the last compaction since opening did (slices, bytes), for benches and tests. */
  lastCompaction(): CompactionReport | undefined;
  /** The sentence describing a torn tail dropped on open, if any. */
  repaired?: string;
}

const MIN_JOURNAL_LIMIT = 4 * 1024 * 1024;
/** `<crc32 hex> ` + `\n` around each record (emulator/shared/wal.ts). */
const FRAME_BYTES = 10;

const ERRORS: LogErrors = {
  corrupt: (message) => new SimStateCorrupt(message),
  writeFailed: (message) => new Error(`WeChat Pay simulator: ${message}`),
};

/** Load what the data dir holds into a fresh state, read-only (tests compare it with a live one). */
export function loadState(state: SimState, dataDir: string): boolean {
  const file = stateLog(dataDir);
  const { records } = readLog(file, ERRORS);
  if (records.length === 0) return false;
  applySnapshot(state, file, records[0]);
  applyChanges(state, file, records.slice(1));
  afterLoad(state);
  return true;
}

function loadLegacy(state: SimState, legacy: string): void {
  let text: string;
  try {
    text = fs.readFileSync(legacy, 'utf8');
    JSON.parse(text);
  } catch (e) {
    throw new SimStateCorrupt(`${legacy} is not valid JSON (${(e as Error).message}); refusing to start: move it away to start the simulator empty`);
  }
  applyLegacySnapshot(state, legacy, text);
  afterLoad(state);
}

const collections = (state: SimState): unknown[] => (Object.keys(JOURNALED) as JournaledField[]).map((f) => state[f]);

export function openStore(state: SimState, dataDir: string, opts: StoreOptions = {}): SimStore {
  const file = stateLog(dataDir);
  const legacy = legacyStateFile(dataDir);
  const opened = DurableLog.open(file, ERRORS);
  const log = opened.log;
  let needSnapshot = true;
  let snapshotParts = 0;
  try {
    if (opened.records.length > 0) {
      applySnapshot(state, file, opened.records[0]);
      snapshotParts = applyChanges(state, file, opened.records.slice(1));
      afterLoad(state);
      needSnapshot = false;
    } else if (fs.existsSync(legacy)) {
      loadLegacy(state, legacy);
    }
  } catch (e) {
    void log.close(); // refused: the file stays as it is, and no descriptor is left open
    throw e;
  }

  const stats: StoreStats = { bytesWritten: 0, commits: 0, compactions: 0, compactionBytes: 0 };
  const pending = new Map<JournaledField, Set<string>>();
  let small = new Map<string, string>();
  let shapes: unknown[] = [];
  let snapshotBytes = 0;
  let lastWrite: Promise<void> = Promise.resolve();
  let compacting: Promise<void> | undefined;
  /** A compaction waiting for the running one to finish (after a reset, or asked for while one runs). */
  let next: Promise<void> | undefined;
  let lastCompaction: CompactionReport | undefined;
  let closed = false;
  // Deliveries by id for the list (entries are only ever appended to it, until a reset replaces it).
  let deliveryIds = new Map<string, Delivery>();
  let indexed = 0;
  const entryOf = (field: JournaledField, key: string): unknown => {
    if (JOURNALED[field] === 'map') return (state[field] as Map<string, unknown>).get(key);
    const list = state.deliveries;
    for (; indexed < list.length; indexed++) deliveryIds.set(list[indexed].id, list[indexed]);
    return deliveryIds.get(key);
  };

  /** Bookkeeping once the state of `small` and the current collections is what the file starts with. */
  const snapshotTaken = (baseline: Map<string, string>): void => {
    small = baseline;
    shapes = collections(state);
    deliveryIds = new Map();
    indexed = 0;
  };

  /** Synchronous (on open, nothing else runs yet): the state as it is now becomes the whole file. */
  const writeSnapshot = (): void => {
    const snap = snapshotRecords(state);
    pending.clear();
    snapshotTaken(snap.small);
    log.rewrite(snap.records);
    snapshotBytes = log.bytes;
    stats.compactions += 1;
    stats.compactionBytes += log.bytes;
    stats.bytesWritten += log.bytes;
  };

  /**
   * A compaction beside the commits. Marks not yet drained stay: their commit writes them after T
   * (a caller acknowledged later must find its change in a record, whatever the snapshot read).
   */
  const startCompaction = (): Promise<void> => {
    const snap = snapshotRecords(state);
    snapshotTaken(snap.small);
    const run = log.compact(snap.records).then(
      (done) => {
        snapshotBytes = done.snapshotBytes;
        stats.compactions += 1;
        stats.compactionBytes += done.bytes;
        stats.bytesWritten += done.bytes - done.tailBytes;
        lastCompaction = done;
      },
      (e: Error) => {
        snapshotBytes = log.bytes; // try again once the journal has grown by its limit, not on every commit
        throw e;
      },
    );
    compacting = run.finally(() => (compacting = undefined));
    compacting.catch(() => undefined);
    return compacting;
  };

  /** A compaction whose T is now or later: started now, or queued behind the running one. */
  const compactSoon = (): Promise<void> => {
    if (next) return next;
    if (!compacting) return startCompaction();
    next = compacting.catch(() => undefined).then(() => {
      next = undefined;
      return startCompaction();
    });
    return next;
  };

  const drain = (): string | undefined => {
    const entries: [JournaledField, string, unknown][] = [];
    for (const [field, keys] of pending) for (const key of keys) entries.push([field, key, entryOf(field, key)]);
    pending.clear();
    const changedSmall: [string, string][] = [];
    for (const [k, text] of smallFieldTexts(state)) {
      if (small.get(k) !== text) changedSmall.push([k, text]);
      small.set(k, text);
    }
    return entries.length || changedSmall.length ? changeRecord(entries, changedSmall) : undefined;
  };

  const tooBig = (): boolean => log.bytes - snapshotBytes > (opts.journalLimitBytes ?? Math.max(MIN_JOURNAL_LIMIT, snapshotBytes));
  const reshaped = (): boolean => collections(state).some((c, i) => c !== shapes[i]);

  const append = (record: string): Promise<void> => {
    stats.commits += 1;
    stats.bytesWritten += Buffer.byteLength(record) + FRAME_BYTES;
    lastWrite = log.append(record);
    lastWrite.catch(() => undefined);
    return lastWrite;
  };

  /** The snapshot a reset's commits wait for (the journal cannot express replaced collections). */
  let resetSnapshot: Promise<void> | undefined;
  const persist = (): Promise<void> => {
    if (closed) return Promise.reject(new Error('WeChat Pay simulator: the state store is closed'));
    // After a reset nothing of the new state may go out as a journal record over the old one: commits
    // wait for the snapshot of the new state (taken once the running compaction, if any, is done),
    // then write what is still marked.
    if (resetSnapshot) return resetSnapshot.then(persist);
    if (reshaped()) {
      resetSnapshot = compactSoon().finally(() => (resetSnapshot = undefined));
      resetSnapshot.catch(() => undefined);
      lastWrite = resetSnapshot;
      return resetSnapshot.then(persist);
    }
    const record = drain();
    const done = record === undefined ? lastWrite : append(record);
    if (!compacting && tooBig()) void compactSoon();
    return done;
  };

  state.changed = (field, key) => {
    let keys = pending.get(field);
    if (!keys) pending.set(field, (keys = new Set()));
    keys.add(key);
  };
  // A fresh or upgraded file starts from a snapshot; else the journal continues where it was (a torn
  // tail was truncated by open()).
  const upgraded = needSnapshot && fs.existsSync(legacy);
  if (needSnapshot) writeSnapshot();
  else {
    for (const r of opened.records.slice(0, 1 + snapshotParts)) snapshotBytes += Buffer.byteLength(r) + FRAME_BYTES;
    small = smallFieldTexts(state);
    shapes = collections(state);
  }
  if (upgraded) fs.rmSync(legacy); // state.log holds it now (synced); state.log wins should both remain
  // Pending work goes back on the schedule (its marks go out with the next commit).
  for (const d of state.deliveries) resumeDelivery(state, d);
  for (const r of state.refunds.values()) resumeRefund(state, r);

  return {
    persist,
    durable: () => lastWrite,
    compact: () => persist().then(() => compactSoon()),
    async close() {
      await persist();
      await log.compacted();
      // Restart then loads one snapshot, no journal to replay.
      if (log.bytes > snapshotBytes || pending.size > 0 || reshaped()) await compactSoon();
      closed = true;
      await log.close();
    },
    stats: () => ({ ...stats }),
    lastCompaction: () => lastCompaction,
    repaired: describeRepair('WeChat Pay simulator', file, opened),
  };
}
