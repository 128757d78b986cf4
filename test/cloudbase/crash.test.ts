/**
 * Durability: the emulator runs as a separate process (the CLI); writes are acknowledged over
 * HTTP; the process is SIGKILLed mid-stream; on restart every acknowledged write is there.
 * A torn last record (a write cut short) is tolerated.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { postJson, tempDir } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = require.resolve('tsx/cjs');

async function startCli(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--require', TSX, path.join(ROOT, 'emulator/cloudbase/cli.ts')], {
    env: { ...process.env, LOCAL_DATA_DIR: dataDir, CLOUDBASE_EMULATOR_PORT: '0', CLOUDBASE_ENV_ID: 'crash-env', CLOUDBASE_FUNCTIONS_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (c) => (err += c));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c) => {
      out += c;
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}: ${err}`)));
  });
  return { child, url };
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const admin = (url: string, body: object) => postJson(`${url}/admin`, body).then((r) => r.json);

test('every acknowledged write survives SIGKILL of the emulator process, and a torn tail is tolerated', async () => {
  const dataDir = tempDir('cb-crash-');
  let { child, url } = await startCli(dataDir);
  await admin(url, { action: 'database.addCollection', collectionName: 'orders' });

  // Writers keep inserting and updating; we SIGKILL while many requests are in flight.
  const acked: string[] = [];
  const ackedTotals = new Map<string, number>();
  let stop = false;
  const writer = async (w: number): Promise<void> => {
    for (let i = 0; !stop; i++) {
      const id = `w${w}-${i}`;
      try {
        const ins = await admin(url, { action: 'database.insertDocument', collectionName: 'orders', data: [`{"_id":"${id}","status":"NOTPAY","total":{"$numberInt":"${i}"}}`] });
        if (ins.data?.insertedIds?.[0] === id) acked.push(id);
        const upd = await admin(url, { action: 'database.modifyDocument', collectionName: 'orders', queryType: 'DOC', query: `{"_id":"${id}"}`, data: '{"$set":{"status":"SUCCESS"}}', multi: false, merge: true, upsert: false });
        if (upd.data?.updated === 1) ackedTotals.set(id, i);
      } catch {
        return; // connection refused / reset: the process is gone
      }
    }
  };
  const writers = Array.from({ length: 8 }, (_x, w) => writer(w));
  while (acked.length < 300) await new Promise((r) => setTimeout(r, 5));
  await kill9(child);
  stop = true;
  await Promise.all(writers);

  // Simulate a write cut short: half a record, no newline, at the end of the log.
  const log = path.join(dataDir, 'cloudbase', 'crash-env.log');
  fs.appendFileSync(log, '1234abcd {"ops":[{"op":"put","c":"orders","doc":{"_id":"torn"');

  ({ child, url } = await startCli(dataDir));
  try {
    const total = (await admin(url, { action: 'database.calculateDocument', collectionName: 'orders', queryType: 'WHERE' })).data.total;
    expect(total).toBeGreaterThanOrEqual(acked.length);
    for (let k = 0; k < acked.length; k += 500) {
      const ids = acked.slice(k, k + 500);
      const got = await admin(url, { action: 'database.getDocument', collectionName: 'orders', queryType: 'WHERE', query: JSON.stringify({ _id: { $in: ids } }), limit: 1000 });
      expect(got.data.list).toHaveLength(ids.length);
    }
    for (const [id] of ackedTotals) {
      const got = await admin(url, { action: 'database.getDocument', collectionName: 'orders', queryType: 'DOC', query: `{"_id":"${id}"}` });
      expect(JSON.parse(got.data.list[0]).status).toBe('SUCCESS');
    }
    const torn = await admin(url, { action: 'database.getDocument', collectionName: 'orders', queryType: 'DOC', query: '{"_id":"torn"}' });
    expect(torn.data.list).toEqual([]);
    // The emulator keeps working after recovery.
    const after = await admin(url, { action: 'database.insertDocument', collectionName: 'orders', data: ['{"_id":"after-restart"}'] });
    expect(after.data.insertedIds).toEqual(['after-restart']);
  } finally {
    await kill9(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);
