/**
 * Starting the emulator process on a damaged log: a torn tail (a record without its newline, what a
 * crash leaves) is repaired and the repair is reported (bytes, records); a complete last record with a
 * bad checksum is corruption, not a crash, and the process refuses to start with a message.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { postJson, tempDir } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = require.resolve('tsx/cjs');

interface Run {
  url?: string;
  stderr: string;
  exitCode?: number | null;
  stop(): Promise<void>;
}

/** Start the CLI; resolves once it listens or exits. */
function startCli(dataDir: string): Promise<Run> {
  const child = spawn(process.execPath, ['--require', TSX, path.join(ROOT, 'emulator/cloudbase/cli.ts')], {
    env: { ...process.env, LOCAL_DATA_DIR: dataDir, CLOUDBASE_EMULATOR_PORT: '0', CLOUDBASE_ENV_ID: 'wal-env', CLOUDBASE_FUNCTIONS_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = {
    stderr: '',
    stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM')))),
  };
  child.stderr.on('data', (c) => (run.stderr += c));
  return new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve({ ...run, url: m[1], stderr: run.stderr, stop: run.stop });
    });
    child.on('exit', (code) => resolve({ ...run, exitCode: code, stderr: run.stderr }));
  });
}

const logFile = (dataDir: string) => path.join(dataDir, 'cloudbase', 'wal-env.log');

async function seeded(): Promise<string> {
  const dataDir = tempDir('wal-start-');
  const run = await startCli(dataDir);
  await postJson(`${run.url}/admin`, { action: 'database.addCollection', collectionName: 'orders' });
  await postJson(`${run.url}/admin`, { action: 'database.insertDocument', collectionName: 'orders', data: ['{"_id":"a"}'] });
  await run.stop();
  return dataDir;
}

jest.setTimeout(60_000);

test('a torn tail is repaired on start and the repair says what was dropped', async () => {
  const dataDir = await seeded();
  const torn = '0badc0de {"ops":[{"op":"put","c":"orders","doc":{"_id":"half"';
  fs.appendFileSync(logFile(dataDir), torn);
  const run = await startCli(dataDir);
  try {
    expect(run.url).toBeDefined();
    expect(run.stderr).toContain(`dropped 1 incomplete record (${Buffer.byteLength(torn)} bytes, never acknowledged); 2 records before it are intact`);
    const got = await postJson(`${run.url}/admin`, { action: 'database.getDocument', collectionName: 'orders', queryType: 'WHERE', query: '{}' });
    expect(got.json.data.list.map((d: string) => JSON.parse(d)._id)).toEqual(['a']);
  } finally {
    await run.stop();
  }
});

test('a complete last record with a bad checksum refuses to start, naming the file and the byte', async () => {
  const dataDir = await seeded();
  const file = logFile(dataDir);
  const text = fs.readFileSync(file, 'utf8');
  const lastStart = text.lastIndexOf('\n', text.length - 2) + 1;
  fs.writeFileSync(file, text.slice(0, lastStart) + text.slice(lastStart).replace('"a"', '"b"'));
  const sizeBefore = fs.statSync(file).size;
  const run = await startCli(dataDir);
  expect(run.url).toBeUndefined();
  expect(run.exitCode).toBe(1);
  expect(run.stderr).toContain(`${file}: the last record (at byte ${lastStart}) is complete but fails its checksum`);
  expect(run.stderr).toMatch(/refusing to start/);
  // Nothing was truncated: the evidence stays for the developer.
  expect(fs.statSync(file).size).toBe(sizeBefore);
});
