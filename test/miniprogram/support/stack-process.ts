/**
 * The local stack in a child process (stack-child.ts) in its own temp data dir: resolves with its
 * URLs once it is up; stop() ends it (stdin closed, exit awaited) and removes the data dir.
 */
import { spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { seedRunCredentials } from '../../support/run-credentials';

export interface StackUrls {
  cloudbaseUrl: string;
  simulatorUrl: string;
  appid: string;
}

// tsx's loader in one node process: stdin's end reaches the stack itself, not a tsx CLI in between.
const TSX = require.resolve('tsx/cjs');

export async function startStackProcess(
  name: string,
  options: { functionEnv?: Record<string, string>; routes?: Record<string, string> } = {},
): Promise<{ urls: StackUrls; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), `wxcloud-pay-${name}-`));
  seedRunCredentials(dataDir); // the run's dev merchant, not two new RSA key pairs (run-credentials.ts)
  const child = spawn(process.execPath, ['--require', TSX, join(__dirname, 'stack-child.ts'), dataDir, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) await new Promise<void>((r) => { child.once('exit', () => r()); child.stdin!.end(); });
    rmSync(dataDir, { recursive: true, force: true });
  };
  const urls = await new Promise<StackUrls>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]));
    });
    child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('exit', (code) => reject(new Error(`local stack exited (${code}): ${err}`)));
  }).catch(async (e: unknown) => {
    await stop();
    throw e;
  });
  return { urls, stop };
}
