/**
 * Function logs kept per function, like the platform's log view: every line an instance writes to
 * stdout/stderr and every failed invocation (with its stack), numbered in arrival order. The newest
 * MAX_PER_FUNCTION per function are kept in memory for GET /__emulator/logs (the console, `npm run
 * local -- logs`), and all are appended to `<dataDir>/logs/<function>.log` for reading later.
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

export class FunctionLogs {
  private seq = 0;
  private readonly byFunction = new Map<string, LogEntry[]>();

  constructor(private readonly dir?: string) {
    if (dir) fs.mkdirSync(dir, { recursive: true });
  }

  append(fn: string, line: string): void {
    const entry: LogEntry = { seq: ++this.seq, at: Date.now(), function: fn, line };
    let list = this.byFunction.get(fn);
    if (!list) this.byFunction.set(fn, (list = []));
    list.push(entry);
    if (list.length > MAX_PER_FUNCTION) list.splice(0, list.length - MAX_PER_FUNCTION);
    if (this.dir) fs.appendFile(path.join(this.dir, `${fn}.log`), `${new Date(entry.at).toISOString()} ${line}\n`, () => undefined);
  }

  functions(): string[] {
    return [...this.byFunction.keys()].sort();
  }

  /** Entries after `after` (a seq), oldest first, at most `limit` (the newest ones when more). */
  list(q: { function?: string; after?: number; limit?: number } = {}): LogEntry[] {
    const lists = q.function ? [this.byFunction.get(q.function) ?? []] : [...this.byFunction.values()];
    const all = lists.flat().filter((e) => e.seq > (q.after ?? 0)).sort((a, b) => a.seq - b.seq);
    const limit = q.limit ?? 500;
    return all.length > limit ? all.slice(all.length - limit) : all;
  }

  get lastSeq(): number {
    return this.seq;
  }
}
