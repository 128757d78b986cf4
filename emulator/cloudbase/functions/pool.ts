/**
 * Instances of one function. Like SCF: an instance runs one invocation at a time; a new
 * instance starts when all are busy, up to `maxInstances`, after which invocations queue.
 * A timed-out or crashed instance is killed and replaced on demand.
 */
import { fork, type ChildProcess } from 'node:child_process';

export type Outcome =
  | { ok: true; json: string }
  | { ok: false; kind: 'error' | 'timeout' | 'crash' | 'load'; name: string; message: string; stack?: string };

type Msg = { type?: string; id?: number; ok?: boolean; json?: string; name?: string; message?: string; stack?: string };

interface Instance {
  child: ChildProcess;
  /** The pool's generation when it started: an older one runs replaced code. */
  generation: number;
  ready: Promise<Outcome | null>;
  pending?: (o: Outcome) => void;
}

export interface PoolOptions {
  name: string;
  entry: string;
  workerScript: string;
  baseEnv: Record<string, string>;
  cwd: string;
  maxInstances: number;
  log: (line: string) => void;
}

export class FunctionPool {
  private readonly idle: Instance[] = [];
  private readonly all = new Set<Instance>();
  private readonly waiters: ((i: Instance) => void)[] = [];
  private nextId = 1;
  private closed = false;
  private generation = 0;

  constructor(private readonly o: PoolOptions) {}

  async invoke(event: unknown, context: Record<string, unknown>, env: Record<string, string>, timeoutMs: number): Promise<Outcome> {
    const inst = await this.acquire();
    const loadFailure = await inst.ready;
    if (loadFailure) {
      this.discard(inst);
      return loadFailure;
    }
    const id = this.nextId++;
    const outcome = await new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        resolve({ ok: false, kind: 'timeout', name: 'TimeoutError', message: `Invoking task timed out after ${timeoutMs / 1000} seconds` });
      }, timeoutMs);
      inst.pending = (o) => {
        clearTimeout(timer);
        resolve(o);
      };
      inst.child.send({ type: 'invoke', id, event, context, env });
    });
    inst.pending = undefined;
    if (outcome.ok || outcome.kind === 'error') this.release(inst);
    else this.discard(inst); // timed out (maybe still running) or crashed: never reuse
    return outcome;
  }

  private acquire(): Promise<Instance> {
    if (this.closed) return Promise.reject(new Error(`function ${this.o.name}: emulator is closing`));
    const free = this.idle.pop();
    if (free) return Promise.resolve(free);
    if (this.all.size < this.o.maxInstances) return Promise.resolve(this.spawn());
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * The function's code changed (hot reload): idle instances stop now, busy ones when their invocation
   * ends, so every invocation from here on loads the new bundle.
   */
  recycle(): void {
    this.generation++;
    for (const inst of [...this.idle]) this.discard(inst);
  }

  private release(inst: Instance): void {
    if (inst.generation !== this.generation) return this.discard(inst);
    const next = this.waiters.shift();
    if (next) next(inst);
    else this.idle.push(inst);
  }

  private discard(inst: Instance): void {
    this.all.delete(inst);
    const i = this.idle.indexOf(inst);
    if (i >= 0) this.idle.splice(i, 1);
    if (inst.child.exitCode === null) inst.child.kill('SIGKILL');
    // Capacity freed: a queued invocation gets a fresh instance.
    const next = this.waiters.shift();
    if (next && !this.closed) next(this.spawn());
  }

  private spawn(): Instance {
    const child = fork(this.o.workerScript, [this.o.entry], {
      cwd: this.o.cwd,
      env: this.o.baseEnv,
      // A bundle built with a source map (the local stack's) reports its stack traces at the .ts lines.
      execArgv: ['--enable-source-maps'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const prefix = `[fn ${this.o.name}#${child.pid}] `;
    for (const s of [child.stdout, child.stderr]) {
      s?.setEncoding('utf8');
      s?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line) this.o.log(prefix + line);
      });
    }
    let markReady: (o: Outcome | null) => void = () => undefined;
    const inst: Instance = { child, generation: this.generation, ready: new Promise((r) => (markReady = r)) };
    child.on('message', (m: Msg) => {
      if (m.type === 'ready') markReady(null);
      else if (m.type === 'load-error') markReady(failure('load', m));
      else if (m.type === 'result') inst.pending?.(m.ok ? { ok: true, json: m.json ?? 'null' } : failure('error', m));
      else if (m.type === 'crash') inst.pending?.(failure('crash', m));
    });
    child.on('exit', (code, signal) => {
      const gone = failure('crash', { name: 'Error', message: `function instance exited (${signal ?? code}) during the invocation` });
      markReady(failure('load', { name: 'Error', message: `function instance exited (${signal ?? code}) while loading` }));
      inst.pending?.(gone);
      this.all.delete(inst);
      const i = this.idle.indexOf(inst);
      if (i >= 0) this.idle.splice(i, 1);
    });
    this.all.add(inst);
    return inst;
  }

  async close(): Promise<void> {
    this.closed = true;
    const exits = [...this.all].map((i) => new Promise<void>((r) => (i.child.exitCode !== null || i.child.signalCode !== null ? r() : (i.child.once('exit', () => r()), i.child.kill('SIGKILL')))));
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(exits);
  }
}

function failure(kind: 'error' | 'crash' | 'load', m: Msg): Outcome {
  return { ok: false, kind, name: m.name ?? 'Error', message: m.message ?? 'unknown error', stack: m.stack };
}
