/**
 * The CloudBase emulator as a separate process (emulator/cloudbase/cli.ts), for the chaos run: a
 * process we can SIGKILL and start again on the same port with the same data directory, which is
 * what a crash of the real service looks like to the functions and to WeChat Pay's notifier.
 * The in-process emulator stays the default everywhere else.
 */
import { spawn, type ChildProcess } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { FunctionSettings } from '../../emulator/cloudbase';
import { REPO_ROOT } from '../build/functions';

export interface CloudbaseChildOptions {
  dataDir: string;
  /** 0 picks a free port on the first start; restarts reuse the port it got. */
  port: number;
  envId: string;
  functionsDir: string;
  functions: Record<string, FunctionSettings>;
  routes: Record<string, string>;
  timers: boolean;
  /** The mini-program platform settings (emulator/cloudbase/platform). */
  platform?: { simulatorUrl?: string; pushFunction?: string; appid: string };
  /** The database's declared indexes (collection → each index's fields). */
  indexes?: Record<string, string[][]>;
  /** Every line the process prints (its own and its functions' logs). */
  log?: (line: string) => void;
}

export interface CloudbaseChild {
  url: string;
  adminUrl: string;
  envId: string;
  pid(): number | undefined;
  /** Sends the signal and waits for the process to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the process again on the same port and data directory; resolves once it listens. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const TSX = require.resolve('tsx/cjs');
const START_TIMEOUT_MS = 30_000;

export async function startCloudbaseChild(options: CloudbaseChildOptions): Promise<CloudbaseChild> {
  // The CLI reads function settings (secrets included) from this git-ignored file; owner-only.
  mkdirSync(join(options.dataDir, 'cloudbase'), { recursive: true });
  writeFileSync(
    join(options.dataDir, 'cloudbase', 'config.json'),
    JSON.stringify({ functions: options.functions, routes: options.routes, timers: options.timers, platform: options.platform, indexes: options.indexes }),
    { mode: 0o600 },
  );
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let port = options.port;
  let child: ChildProcess | undefined;

  const launch = async (): Promise<string> => {
    const proc = spawn(process.execPath, ['--require', TSX, join(REPO_ROOT, 'emulator/cloudbase/cli.ts')], {
      env: {
        ...process.env,
        LOCAL_DATA_DIR: options.dataDir,
        CLOUDBASE_EMULATOR_PORT: String(port),
        CLOUDBASE_ENV_ID: options.envId,
        CLOUDBASE_FUNCTIONS_DIR: options.functionsDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    // If this process exits without closing the stack (process.exit, an uncaught error), take the
    // emulator with it rather than leave it listening with the data dir open.
    const reap = (): void => {
      proc.kill('SIGKILL');
    };
    process.once('exit', reap);
    proc.once('exit', () => process.removeListener('exit', reap));
    return new Promise<string>((resolve, reject) => {
      let resolved = false;
      const timer = setTimeout(() => reject(new Error('the CloudBase emulator process did not start in time')), START_TIMEOUT_MS);
      const lines = (stream: NodeJS.ReadableStream | null): void => {
        let buffer = '';
        stream?.setEncoding('utf8');
        stream?.on('data', (chunk: string) => {
          buffer += chunk;
          for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
            const line = buffer.slice(0, i);
            buffer = buffer.slice(i + 1);
            log(line);
            const m = /listening on (http:\/\/[\d.]+:(\d+))/.exec(line);
            if (m && !resolved) {
              resolved = true;
              clearTimeout(timer);
              resolve(m[1]);
            }
          }
        });
      };
      lines(proc.stdout);
      lines(proc.stderr);
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!resolved) reject(new Error(`the CloudBase emulator process exited before listening (${code ?? signal})`));
      });
    });
  };

  const url = await launch();
  port = Number(new URL(url).port);
  const kill = (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> =>
    new Promise((resolve) => {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });
  return {
    url,
    adminUrl: `${url}/admin`,
    envId: options.envId,
    pid: () => child?.pid,
    kill,
    async restart() {
      await kill('SIGKILL');
      await launch();
    },
    async close() {
      await kill('SIGTERM');
    },
  };
}
