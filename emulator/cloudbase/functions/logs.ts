/**
 * Function logs kept per function, like the platform's log view: every line an instance writes to
 * stdout/stderr and every failed invocation (with its stack), numbered in arrival order. The newest
 * MAX_PER_FUNCTION per function are kept in memory for GET /__emulator/logs (the console, `npm run
 * local -- logs`), and all are appended to `<dataDir>/logs/<function>.log` for reading later, through
 * one append stream per function kept open (opening and closing the file for every line cost more than
 * the function work at notification rates). Lines go to the file in batches, in order: one write per
 * FLUSH_MS (or per FLUSH_LINES lines, whichever comes first), and close() writes the rest. A write per
 * event-loop turn was a write (and a thread-pool round trip) per line at notification rates, where a
 * turn rarely holds more than one line. The in-memory list is current at once and trimmed in batches,
 * not by one shift per line (that was a 2000-entry memmove per line, ~2% of the emulator's CPU at
 * notification rates).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface LogEntry {
  seq: number;
  /** ms epoch */
  at: number;
  function: string;
  line: string;
}

const MAX_PER_FUNCTION = 2000;
/** Kept beyond MAX_PER_FUNCTION before trimming back to it (list() never shows more than the newest MAX). */
const TRIM_SLACK = 500;
/** How long a line may wait for its file write, and how many lines make a write without waiting. */
const FLUSH_MS = 20;
const FLUSH_LINES = 1000;

export class FunctionLogs {
  private seq = 0;
  private readonly byFunction = new Map<string, LogEntry[]>();
  private readonly files = new Map<string, fs.WriteStream>();
  /** Lines not yet handed to their file, per function, written together by the next flush. */
  private readonly unwritten = new Map<string, string[]>();
  private unwrittenCount = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly dir?: string) {
    if (dir) fs.mkdirSync(dir, { recursive: true });
  }

  append(fn: string, line: string): void {
    const entry: LogEntry = { seq: ++this.seq, at: Date.now(), function: fn, line };
    let list = this.byFunction.get(fn);
    if (!list) this.byFunction.set(fn, (list = []));
    list.push(entry);
    if (list.length > MAX_PER_FUNCTION + TRIM_SLACK) list.splice(0, list.length - MAX_PER_FUNCTION);
    if (!this.dir || this.closed) return;
    let lines = this.unwritten.get(fn);
    if (!lines) this.unwritten.set(fn, (lines = []));
    lines.push(`${new Date(entry.at).toISOString()} ${line}\n`);
    if (++this.unwrittenCount >= FLUSH_LINES) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.unwrittenCount = 0;
    for (const [fn, lines] of this.unwritten) this.file(fn)?.write(lines.join(''));
    this.unwritten.clear();
  }

  private file(fn: string): fs.WriteStream | undefined {
    if (!this.dir || this.closed) return undefined;
    let stream = this.files.get(fn);
    if (!stream) {
      stream = fs.createWriteStream(path.join(this.dir, `${fn}.log`), { flags: 'a' });
      // A log file that cannot be written (disk full, directory removed) must not stop the emulator.
      stream.on('error', () => undefined);
      this.files.set(fn, stream);
    }
    return stream;
  }

  /** Flushes and closes the log files (the in-memory lists stay readable). */
  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    const streams = [...this.files.values()];
    this.files.clear();
    await Promise.all(streams.map((s) => new Promise<void>((resolve) => {
      if (s.closed) return resolve();
      s.once('close', () => resolve());
      s.end();
    })));
  }

  functions(): string[] {
    return [...this.byFunction.keys()].sort();
  }

  /** Entries after `after` (a seq), oldest first, at most `limit` (the newest ones when more). */
  list(q: { function?: string; after?: number; limit?: number } = {}): LogEntry[] {
    const lists = (q.function ? [this.byFunction.get(q.function) ?? []] : [...this.byFunction.values()]).map((l) => l.slice(-MAX_PER_FUNCTION));
    const all = lists.flat().filter((e) => e.seq > (q.after ?? 0)).sort((a, b) => a.seq - b.seq);
    const limit = q.limit ?? 500;
    return all.length > limit ? all.slice(all.length - limit) : all;
  }

  get lastSeq(): number {
    return this.seq;
  }
}
