/**
 * The local stack in a child process (stack-child.ts) in its own temp data dir: resolves with its
 * URLs once it is up; stop() ends it (stdin closed, exit awaited) and removes the data dir.
 */
import { spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

export interface StackUrls {
  cloudbaseUrl: string;
  simulatorUrl: string;
  appid: string;
}

const TSX = join(__dirname, '..', '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');

export async function startStackProcess(
  name: string,
  options: { functionEnv?: Record<string, string>; routes?: Record<string, string> } = {},
): Promise<{ urls: StackUrls; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), `wxcloud-pay-${name}-`));
  const child = spawn(process.execPath, [TSX, join(__dirname, 'stack-child.ts'), dataDir, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'pipe'] });
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
