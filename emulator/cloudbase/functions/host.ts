/**
 * Function host: finds `<functionsDir>/<name>/index.js`, keeps a pool of instances per
 * function, runs invocations with their own identity, and remembers which identity each live
 * invocation's WX_API_TOKEN belongs to so nested cloud.callFunction keeps the caller's user.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { transformSync } from 'esbuild';
import { TCB_CODES, TcbError } from '../errors';
import { LIMITS } from '../limits';
import { buildInvocation, sdkEnvFor, type Identity } from './invocation';
import type { FunctionLogs } from './logs';
import { FunctionPool, type Outcome } from './pool';

export interface FunctionSettings {
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface HostOptions {
  functionsDir: string;
  envId: string;
  functions: Record<string, FunctionSettings>;
  maxInstancesPerFunction: number;
  log: (line: string) => void;
  /** Where each function's log lines are kept (the console's Logs view, `npm run local -- logs`). */
  logs?: FunctionLogs;
}

export const DEFAULT_TIMEOUT_MS = LIMITS.functionTimeout.value;
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const NAME_RE = /^[A-Za-z0-9_-]{1,60}$/;
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'TZ', 'SYSTEMROOT'];

export type Invoked = Outcome & { requestId: string };

/**
 * worker.ts → plain CJS, so instances start with bare `node`. Named by content hash: reused across
 * runs, and written via rename so parallel emulators never see a half-written file.
 */
function compiledWorker(): string {
  const src = fs.readFileSync(path.join(__dirname, 'worker.ts'), 'utf8');
  const hash = createHash('sha256').update(src).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `cb-emulator-worker-${hash}.cjs`);
  if (fs.existsSync(file)) return file;
  const { code } = transformSync(src, { loader: 'ts', format: 'cjs', platform: 'node', target: 'node16' });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, file);
  return file;
}

export class FunctionHost {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly liveTokens = new Map<string, Identity>();
  private readonly tokenFunctions = new Map<string, string>();
  private adminUrl = '';

  constructor(private readonly o: HostOptions) {}

  setAdminUrl(url: string): void {
    this.adminUrl = url;
  }

  /** The identity of the invocation holding this WX_API_TOKEN, if it is still running. */
  callerOf(token: unknown): Identity | undefined {
    return typeof token === 'string' ? this.liveTokens.get(token) : undefined;
  }

  /** The function whose live invocation holds this WX_API_TOKEN (cloud-call permissions are per function). */
  functionOf(token: unknown): string | undefined {
    return typeof token === 'string' ? this.tokenFunctions.get(token) : undefined;
  }

  entryOf(name: string): string {
    const entry = NAME_RE.test(name) ? path.join(this.o.functionsDir, name, 'index.js') : '';
    if (!entry || !fs.existsSync(entry)) {
      throw new TcbError(TCB_CODES.FUNCTION_NOT_FOUND, `[ResourceNotFound.Function] function ${name} not found (expected a built ${path.join(this.o.functionsDir, name, 'index.js')})`);
    }
    return entry;
  }

  timeoutOf(name: string): number {
    return this.o.functions[name]?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async invoke(name: string, event: unknown, identity: Identity, opts: { timer?: boolean } = {}): Promise<Invoked> {
    const pool = this.pool(name);
    const timeoutMs = this.timeoutOf(name);
    const inv = buildInvocation({ functionName: name, envId: this.o.envId, identity, timeoutMs, timer: opts.timer });
    this.liveTokens.set(inv.apiToken, identity);
    this.tokenFunctions.set(inv.apiToken, name);
    try {
      const out = await pool.invoke(event, inv.context, inv.env, timeoutMs);
      if (!out.ok) this.o.logs?.append(name, `[${inv.requestId}] ${out.kind}: ${out.stack && out.stack.includes(out.message) ? out.stack : `${out.name}: ${out.message}`}`);
      return { ...out, requestId: inv.requestId };
    } finally {
      this.liveTokens.delete(inv.apiToken);
      this.tokenFunctions.delete(inv.apiToken);
    }
  }

  private pool(name: string): FunctionPool {
    let p = this.pools.get(name);
    if (p) return p;
    const entry = this.entryOf(name);
    const inherited = Object.fromEntries(INHERITED.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k] as string]));
    const nodePath = [path.join(REPO_ROOT, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
    const baseEnv: Record<string, string> = {
      ...inherited,
      // Unbundled functions (tests, quick experiments) resolve wx-server-sdk from the repo.
      NODE_PATH: nodePath,
      ...sdkEnvFor(this.adminUrl, this.o.envId),
      SCF_FUNCTIONNAME: name,
      SCF_FUNCTIONVERSION: '$LATEST',
      SCF_RUNTIME: 'Nodejs16.13',
      SILENCE: 'true',
      ...(this.o.functions[name]?.env ?? {}),
    };
    const log = (line: string): void => {
      this.o.log(line);
      this.o.logs?.append(name, line);
    };
    p = new FunctionPool({ name, entry, workerScript: compiledWorker(), baseEnv, cwd: path.dirname(entry), maxInstances: this.o.maxInstancesPerFunction, log });
    this.pools.set(name, p);
    return p;
  }

  /** New code for these functions (all when omitted): later invocations start fresh instances. */
  reload(names?: string[]): string[] {
    const targets = names ?? [...this.pools.keys()];
    for (const n of targets) this.pools.get(n)?.recycle();
    return targets;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }
}
