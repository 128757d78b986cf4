/**
 * Durable append-only log: one record per line, `<crc32 hex> <json>\n`.
 *
 * - append() resolves only after the bytes are fdatasync'ed (group commit: every record queued
 *   while a flush is in flight goes out in the next single write+sync).
 * - open() tolerates a torn tail (a last record without its newline, i.e. a write cut short by a
 *   crash) and truncates it, reporting what it dropped; a complete record with a bad checksum (last
 *   or followed by good ones) is real corruption and refuses to start.
 * - rewrite() replaces the whole file atomically (tmp + fsync + rename + dir fsync), synchronously:
 *   for a store that is opening (nothing else runs yet).
 * - compact() does the same while the log stays open for writes, without stalling the event loop:
 *   the snapshot is encoded and written to the tmp file in slices of at most ~SLICE_MS each, every
 *   batch the log writes from the moment compact() is called (T) is also kept, and the switch
 *   (those batches appended to the tmp file, fsync, rename, dir fsync, new descriptor) runs as one
 *   step of the writer, between two group commits. Until the rename the old file is the log.
 *
 * Shared by the CloudBase emulator's database (cloudbase/wal.ts) and the WeChat Pay simulator's
 * state journal (wechat/store.ts); each passes the errors it reports in its own codes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { crc32 } from 'node:zlib';
import { closeAsync, fdatasyncAsync, fsyncAsync, fsyncDirAsync, openAsync, writeAll } from './fs-async';

/** How a user of the log words its two failures (each emulator has its own error codes). */
export interface LogErrors {
  /** The file is damaged in a way a crash cannot explain: refuse to start. */
  corrupt(message: string): Error;
  /** A write or sync failed: the log accepts no more writes. */
  writeFailed(message: string): Error;
}

const PLAIN_ERRORS: LogErrors = { corrupt: (m) => new Error(m), writeFailed: (m) => new Error(m) };

export interface OpenedLog {
  log: DurableLog;
  records: string[];
  /** Bytes of the torn last record truncated away (0: none). */
  tornBytes: number;
}

/** The one line saying what a torn-tail repair dropped, for the emulator's log. */
export function describeRepair(who: string, file: string, opened: OpenedLog): string | undefined {
  if (opened.tornBytes === 0) return undefined;
  return `${who}: ${file}: repaired a torn tail left by a crash: dropped 1 incomplete record (${opened.tornBytes} bytes, never acknowledged); ${opened.records.length} records before it are intact`;
}

function frame(json: string): Buffer {
  const body = Buffer.from(json, 'utf8');
  const crc = crc32(body).toString(16).padStart(8, '0');
  return Buffer.concat([Buffer.from(`${crc} `), body, Buffer.from('\n')]);
}

/** Parse the file: valid records, and the byte offset where the valid prefix ends. */
function scan(buf: Buffer, file: string, errors: LogErrors): { records: string[]; validEnd: number } {
  const records: string[] = [];
  let pos = 0;
  let badAt = -1;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    const end = nl === -1 ? buf.length : nl;
    const line = buf.subarray(pos, end);
    const ok = nl !== -1 && line.length > 9 && line[8] === 0x20 && crc32(line.subarray(9)).toString(16).padStart(8, '0') === line.subarray(0, 8).toString();
    if (!ok) {
      if (badAt === -1) badAt = pos;
    } else if (badAt !== -1) {
      throw errors.corrupt(`${file}: corrupt record at byte ${badAt} followed by valid records; refusing to start (move the file away to reset the emulator's data)`);
    } else {
      records.push(line.subarray(9).toString('utf8'));
    }
    pos = nl === -1 ? buf.length : nl + 1;
  }
  if (badAt !== -1 && buf.indexOf(0x0a, badAt) !== -1) {
    // The bad record has its newline: it was written whole, so a crash did not cut it short.
    throw errors.corrupt(`${file}: the last record (at byte ${badAt}) is complete but fails its checksum: that is corruption, not a crash; refusing to start (move the file away to reset the emulator's data, or restore a backup)`);
  }
  return { records, validEnd: badAt === -1 ? buf.length : badAt };
}

/** The records of a log without opening it for writing (a torn tail is left in place and reported). */
export function readLog(file: string, errors: LogErrors = PLAIN_ERRORS): { records: string[]; tornBytes: number } {
  const buf = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
  const { records, validEnd } = scan(buf, file, errors);
  return { records, tornBytes: buf.length - validEnd };
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Compaction's slices: encode for at most this long (or this many bytes), then write and yield. */
const SLICE_MS = 4;
const SLICE_BYTES = 256 << 10;

/** What one compaction did (the benches print it). */
export interface CompactionReport {
  /** The new file's size at the switch: snapshot + the batches written meanwhile. */
  bytes: number;
  snapshotBytes: number;
  /** Bytes of the batches written to the old file after T, copied behind the snapshot. */
  tailBytes: number;
  /** Snapshot slices (each one event-loop turn of encoding, then an async write). */
  slices: number;
  /** The longest slice's encoding time (ms): the longest the snapshot kept the event loop. */
  longestSliceMs: number;
}

export class DurableLog {
  private fd: number;
  private queue: { buf: Buffer; done: (err?: Error) => void }[] = [];
  private flushing: Promise<void> | null = null;
  private failed: Error | null = null;
  /** While a compaction runs: every batch written to the file since it started (its T). */
  private tail: Buffer[] | null = null;
  /** A step that must run between two batches with the file to itself (the compaction's switch). */
  private barrier: (() => Promise<void>) | null = null;
  private compaction: Promise<CompactionReport> | null = null;
  bytes: number;

  private constructor(readonly file: string, fd: number, bytes: number, private readonly errors: LogErrors) {
    this.fd = fd;
    this.bytes = bytes;
  }

  static open(file: string, errors: LogErrors = PLAIN_ERRORS): OpenedLog {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const buf = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
    const { records, validEnd } = scan(buf, file, errors);
    const tornBytes = buf.length - validEnd;
    if (tornBytes > 0) fs.truncateSync(file, validEnd);
    // A compaction cut short by a crash: the old file is the log, its unfinished copy is garbage.
    fs.rmSync(`${file}.tmp`, { force: true });
    const fd = fs.openSync(file, 'a');
    if (tornBytes > 0) fs.fsyncSync(fd);
    return { log: new DurableLog(file, fd, validEnd, errors), records, tornBytes };
  }

  /** Queue one record; resolves once it is on disk. */
  append(json: string): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    const buf = frame(json);
    this.bytes += buf.length;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ buf, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  isIdle(): boolean {
    return !this.flushing && this.queue.length === 0;
  }

  isCompacting(): boolean {
    return this.compaction !== null;
  }

  /** Resolves when nothing is queued or being written. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushLoop(): Promise<void> {
    for (;;) {
      const barrier = this.barrier;
      if (barrier) {
        this.barrier = null;
        await barrier();
        continue;
      }
      if (this.queue.length === 0) break;
      const batch = this.queue;
      this.queue = [];
      try {
        const buf = Buffer.concat(batch.map((b) => b.buf));
        this.tail?.push(buf);
        await writeAll(this.fd, buf);
        await fdatasyncAsync(this.fd);
        for (const b of batch) b.done();
      } catch (e) {
        // Memory already holds these writes but disk may not: stop accepting writes.
        this.failed = this.errors.writeFailed(`${this.file}: log write failed: ${(e as Error).message}`);
        for (const b of [...batch, ...this.queue]) b.done(this.failed);
        this.queue = [];
      }
    }
    this.flushing = null;
  }

  /** Run `step` between two batches, with the file to itself (appends queue meanwhile). */
  private exclusive(step: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.barrier = () => step().then(resolve, reject);
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  /**
   * Replace the log with `snapshot` followed by every record written from now on (T), while appends
   * go on and are acknowledged as usual. `snapshot` is pulled lazily, slice by slice, across many
   * event-loop turns: it may read the live state, provided every change after T is also appended
   * as a record (replaying those after the snapshot then gives the state at the switch; records
   * must therefore be idempotent over a state that already holds them: whole-value puts and deletes).
   * A failure before the rename leaves the old file as the log (and rejects); the log goes on.
   */
  compact(snapshot: Iterable<string>): Promise<CompactionReport> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.compaction) return Promise.reject(new Error('DurableLog.compact while a compaction is running'));
    this.tail = [];
    const running = this.runCompaction(snapshot, this.tail).finally(() => {
      this.tail = null;
      this.compaction = null;
    });
    this.compaction = running;
    return running;
  }

  private async runCompaction(snapshot: Iterable<string>, tail: Buffer[]): Promise<CompactionReport> {
    const tmp = `${this.file}.tmp`;
    const fd = await openAsync(tmp, 'w');
    let installed = false;
    try {
      const report: CompactionReport = { bytes: 0, snapshotBytes: 0, tailBytes: 0, slices: 0, longestSliceMs: 0 };
      const records = snapshot[Symbol.iterator]();
      for (let done = false; !done; ) {
        const started = performance.now();
        const chunk: Buffer[] = [];
        let size = 0;
        while (size < SLICE_BYTES && performance.now() - started < SLICE_MS) {
          const next = records.next();
          if (next.done) {
            done = true;
            break;
          }
          const b = frame(next.value);
          chunk.push(b);
          size += b.length;
        }
        const buf = Buffer.concat(chunk);
        report.longestSliceMs = Math.max(report.longestSliceMs, performance.now() - started);
        report.slices += 1;
        await writeAll(fd, buf);
        report.snapshotBytes += size;
      }
      await fsyncAsync(fd);
      // Copy what was written meanwhile outside the switch, so the switch copies only the last few batches.
      let copied = 0;
      while (copied < tail.length && !this.failed) {
        const more = Buffer.concat(tail.slice(copied));
        copied = tail.length;
        await writeAll(fd, more);
        report.tailBytes += more.length;
      }
      await this.exclusive(async () => {
        if (this.failed) throw this.failed;
        const rest = Buffer.concat(tail.slice(copied));
        await writeAll(fd, rest);
        report.tailBytes += rest.length;
        await fsyncAsync(fd);
        fs.renameSync(tmp, this.file);
        installed = true;
        try {
          await fsyncDirAsync(path.dirname(this.file));
        } catch (e) {
          // The new file may not survive a crash while the old one is gone from the name: stop writing.
          this.failed = this.errors.writeFailed(`${this.file}: directory sync after compaction failed: ${(e as Error).message}`);
          throw this.failed;
        }
        const old = this.fd;
        this.fd = fd; // positioned at its end: the next batch appends behind the tail
        report.bytes = report.snapshotBytes + report.tailBytes;
        this.bytes = report.bytes + this.queue.reduce((n, b) => n + b.buf.length, 0);
        await closeAsync(old);
      });
      return report;
    } catch (e) {
      if (!installed) {
        await closeAsync(fd).catch(() => undefined);
        fs.rmSync(tmp, { force: true });
      }
      throw e;
    }
  }

  /** Atomically replace the log with these records. Call only when idle(). */
  rewrite(records: Iterable<string>): void {
    if (this.flushing || this.queue.length) throw new Error('DurableLog.rewrite while writes are in flight');
    if (this.compaction) throw new Error('DurableLog.rewrite while a compaction is running');
    const tmp = `${this.file}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    let bytes = 0;
    try {
      let chunk: Buffer[] = [];
      let size = 0;
      for (const r of records) {
        const b = frame(r);
        chunk.push(b);
        size += b.length;
        if (size > 1 << 20) {
          writeAllSync(fd, Buffer.concat(chunk));
          bytes += size;
          chunk = [];
          size = 0;
        }
      }
      if (chunk.length) writeAllSync(fd, Buffer.concat(chunk));
      bytes += size;
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
    fsyncDir(path.dirname(this.file));
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.file, 'a');
    this.bytes = bytes;
  }

  /** Resolves when no compaction is running (its outcome is the caller of compact()'s to handle). */
  async compacted(): Promise<void> {
    await this.compaction?.catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.compacted();
    await this.idle();
    fs.closeSync(this.fd);
  }
}

function writeAllSync(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}
