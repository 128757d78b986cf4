/**
 * A WeChat Pay simulator in its own process (so a test can SIGKILL it), resolved once it prints the
 * URL it listens on. The script is the simulator's CLI or a test child that starts the simulator.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface SimProcess {
  child: ChildProcess;
  url: string;
  /** Resolves with the signal that ended the process (null for a normal exit). */
  exited: Promise<NodeJS.Signals | null>;
}

export function spawnSimulator(script: string, env: Record<string, string>): Promise<SimProcess> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
  let err = '';
  child.stderr!.on('data', (c) => (err += c));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1], exited });
    });
    child.once('exit', (code, signal) => reject(new Error(`simulator exited ${code ?? signal} before listening: ${err}`)));
  });
}
