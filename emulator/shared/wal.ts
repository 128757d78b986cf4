/**
 * Durable append-only log: one record per line, `<crc32 hex> <json>\n`.
 *
 * - append() resolves only after the bytes are fdatasync'ed (group commit: every record queued
 *   while a flush is in flight goes out in the next single write+sync).
 * - open() tolerates a torn tail (a last record without its newline, i.e. a write cut short by a
 *   crash) and truncates it, reporting what it dropped; a complete record with a bad checksum (last
 *   or followed by good ones) is real corruption and refuses to start.
 * - rewrite() replaces the whole file atomically (tmp + fsync + rename + dir fsync): compaction.
 *
 * Shared by the CloudBase emulator's database (cloudbase/wal.ts) and the WeChat Pay simulator's
 * state journal (wechat/store.ts); each passes the errors it reports in its own codes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';

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

export class DurableLog {
  private fd: number;
  private queue: { buf: Buffer; done: (err?: Error) => void }[] = [];
  private flushing: Promise<void> | null = null;
  private failed: Error | null = null;
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

  /** Resolves when nothing is queued or being written. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await writeAll(this.fd, Buffer.concat(batch.map((b) => b.buf)));
        await new Promise<void>((res, rej) => fs.fdatasync(this.fd, (e) => (e ? rej(e) : res())));
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

  /** Atomically replace the log with these records. Call only when idle(). */
  rewrite(records: Iterable<string>): void {
    if (this.flushing || this.queue.length) throw new Error('DurableLog.rewrite while writes are in flight');
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

  async close(): Promise<void> {
    await this.idle();
    fs.closeSync(this.fd);
  }
}

async function writeAll(fd: number, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    off += await new Promise<number>((res, rej) => fs.write(fd, buf, off, buf.length - off, null, (e, n) => (e ? rej(e) : res(n))));
  }
}

function writeAllSync(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}
