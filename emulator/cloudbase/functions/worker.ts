/**
 * One function instance (a child process, like one SCF instance). Loads the function module
 * once at start (the "init" phase), then runs one invocation at a time: before each it resets
 * process.env to the instance's base env plus that invocation's identity (WX_OPENID, WX_API_TOKEN,
 * …), because wx-server-sdk's getWXContext and the SDK's request signing read only process.env.
 *
 * Standalone on purpose (node built-ins only): the host transpiles this file with esbuild and
 * forks the result, so function processes never load TypeScript tooling.
 */
type Invoke = { type: 'invoke'; id: number; event: unknown; context: Record<string, unknown>; env: Record<string, string> };
type Reply =
  | { type: 'ready' }
  | { type: 'load-error'; message: string; stack?: string }
  | { type: 'result'; id: number; ok: true; json: string }
  | { type: 'result'; id: number; ok: false; name: string; message: string; stack?: string }
  | { type: 'crash'; message: string; stack?: string };

const send = (m: Reply): void => {
  process.send?.(m);
};

const entry = process.argv[2];

/**
 * process.env as a plain object that mirrors the real environment. An SCF instance's environment is
 * fixed when it starts, changed only per invocation (the identity variables below), and wx-server-sdk
 * reads some twenty variables from process.env on every request it makes; Node's own process.env
 * answers each read from the C library's environment (a lookup and a string copy, ~7× a plain
 * property read). Reads come from the snapshot; every write and delete — ours per invocation, or the
 * function's own — goes to the real environment as well (so child processes, and TZ for Date, see
 * it) and stores the value as the real environment coerced it (always a string, like Node).
 */
function mirroredEnv(real: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const snapshot: NodeJS.ProcessEnv = { ...real };
  return new Proxy(snapshot, {
    set(target, key, value) {
      if (typeof key !== 'string') return false;
      real[key] = value;
      target[key] = real[key];
      return true;
    },
    defineProperty(target, key, desc) {
      if (typeof key !== 'string' || !('value' in desc)) return false;
      real[key] = desc.value;
      target[key] = real[key];
      return true;
    },
    deleteProperty(target, key) {
      if (typeof key === 'string') {
        delete real[key];
        delete target[key];
      }
      return true;
    },
  });
}
process.env = mirroredEnv(process.env);
let main: ((event: unknown, context: unknown) => unknown) | undefined;
let invocationKeys: string[] = [];

function errorFields(e: unknown): { name: string; message: string; stack?: string } {
  // The stack shows the function's frames only, not this host's.
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack?.split('\n').filter((l) => !l.includes(__filename)).join('\n') };
  // Functions sometimes throw strings or plain objects; keep what they threw readable.
  return { name: 'Error', message: typeof e === 'string' ? e : JSON.stringify(e) ?? String(e) };
}

process.on('uncaughtException', (e) => {
  send({ type: 'crash', ...errorFields(e) });
  process.exit(1);
});
process.on('unhandledRejection', (e) => {
  send({ type: 'crash', ...errorFields(e) });
  process.exit(1);
});

// The IPC channel closes when the host is gone (SIGKILLed, crashed). Nobody can receive a result
// any more, and an instance left running would go on writing behind a restarted emulator: exit,
// like an SCF instance reclaimed with its host.
process.on('disconnect', () => process.exit(0));

/**
 * This invocation's variables in place of the previous one's: those it lacks are removed, and only the
 * values that differ are written. Most are the same every time (TCB_ENV, TCB_CONTEXT_KEYS, WX_CONTEXT_KEYS,
 * …), and every write and delete reaches the real environment (setenv/unsetenv under Node's environment
 * lock, then a read back): removing and rewriting all seven cost 13-16 µs per invocation in a warm loop,
 * 4-6 µs this way (a new instance, whose code is not optimised yet, pays more). Compared with
 * process.env as it is now, so a value the function changed or deleted itself is still reset.
 */
function applyInvocationEnv(env: Record<string, string>): void {
  for (const k of invocationKeys) if (!Object.hasOwn(env, k)) delete process.env[k];
  for (const k of Object.keys(env)) if (process.env[k] !== env[k]) process.env[k] = env[k];
  invocationKeys = Object.keys(env);
}

process.on('message', async (m: Invoke) => {
  if (m.type !== 'invoke' || !main) return;
  applyInvocationEnv(m.env);
  try {
    const value = await main(m.event, m.context);
    // Like the real platform: the answer is JSON; undefined becomes null.
    send({ type: 'result', id: m.id, ok: true, json: JSON.stringify(value === undefined ? null : value) ?? 'null' });
  } catch (e) {
    send({ type: 'result', id: m.id, ok: false, ...errorFields(e) });
  }
});

try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(entry) as { main?: unknown };
  if (typeof mod.main !== 'function') throw new Error(`${entry} does not export a main(event, context) function`);
  main = mod.main as typeof main;
  send({ type: 'ready' });
} catch (e) {
  send({ type: 'load-error', ...errorFields(e) });
  process.exit(1);
}
