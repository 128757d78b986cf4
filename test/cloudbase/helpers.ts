/**
 * Test harness: a real emulator on 127.0.0.1:0 with a temp data dir and temp functions dir,
 * and a fresh, unmodified wx-server-sdk pointed at it through the env vars of sdkEnvFor().
 * wx-server-sdk reads process.env, so the vars are set for the test file and restored after.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCloudbaseEmulator, type CloudbaseEmulator, type CloudbaseEmulatorOptions } from '../../emulator/cloudbase';

export interface Harness {
  emu: CloudbaseEmulator;
  dataDir: string;
  functionsDir: string;
  // wx-server-sdk ships loose typings; tests use it the way function code does.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  cloud: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: any;
  logs: string[];
  stop(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Write a plain-JS test function `<functionsDir>/<name>/index.js` (+ optional config.json). */
export function writeFunction(functionsDir: string, name: string, source: string, config?: unknown): void {
  const dir = path.join(functionsDir, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.js'), source);
  if (config !== undefined) fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
}

export async function startHarness(opts: Partial<CloudbaseEmulatorOptions> & { setup?: (functionsDir: string) => void } = {}): Promise<Harness> {
  const dataDir = tempDir('cb-data-');
  const functionsDir = tempDir('cb-fns-');
  opts.setup?.(functionsDir);
  const logs: string[] = [];
  const emu = await startCloudbaseEmulator({ dataDir, functionsDir, envId: 'test-env', log: (l) => logs.push(l), ...opts });
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(emu.sdkEnv())) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let cloud: any;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cloud = require('wx-server-sdk');
  });
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  return {
    emu,
    dataDir,
    functionsDir,
    cloud,
    db: cloud.database(),
    logs,
    async stop() {
      await emu.close();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(functionsDir, { recursive: true, force: true });
    },
  };
}

/** POST JSON to the emulator and parse the JSON answer. */
export async function postJson(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}
