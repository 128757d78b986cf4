/**
 * "Acknowledged means durable" across a compaction, with real processes and SIGKILL: a store
 * process (support/store-child.ts) writes from 8 lanes while its log compacts beside the writes,
 * and kills itself at each point of the compaction: before the snapshot, during it, after it is
 * written, before and after the rename, and after the compaction. On reopening, every key holds its
 * last acknowledged value (or the one write in flight at the kill, never acknowledged), and the seed
 * is whole.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EnvStore } from '../../emulator/cloudbase/store';
import { tempDir } from './helpers';

jest.setTimeout(120_000);
const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function runChild(dataDir: string, crashAt: string): Promise<{ lines: string[]; signal: NodeJS.Signals | null; err: string }> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(__dirname, 'support', 'store-child.ts')], {
    env: { ...process.env, CB_DATA_DIR: dataDir, CB_CRASH_AT: crashAt },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve({ lines: out.split('\n'), signal, err })));
}

test.each(['open', 'second-write', 'first-fsync', 'before-rename', 'after-rename', 'after-compaction'])(
  'SIGKILL at %s of a compaction: the reopened store holds every acknowledged write',
  async (crashAt) => {
    const dir = tempDir('cb-kill-');
    made.push(dir);
    const { lines, signal, err } = await runChild(dir, crashAt);
    expect([signal, err]).toEqual(['SIGKILL', '']);
    // Per key: the last acknowledged value, and the value of a write sent after it (in flight).
    const acked = new Map<string, number>();
    const inflight = new Map<string, number>();
    for (const line of lines) {
      const [what, key, n] = line.split(' ');
      if (what === 'send') inflight.set(key, Number(n));
      if (what === 'ack') {
        acked.set(key, Number(n));
        inflight.delete(key);
      }
    }
    expect(acked.size).toBeGreaterThan(100);

    const store = EnvStore.open(dir, 'kill');
    try {
      expect(store.collection('seed').docs.size).toBe(3000);
      const lanes = store.collection('lanes').docs;
      const keys = new Set([...acked.keys(), ...inflight.keys()]);
      for (const key of keys) {
        const got = lanes.get(`s${key}`)?.n ?? -1;
        const allowed = [acked.get(key) ?? -1, ...(inflight.has(key) ? [inflight.get(key)] : [])];
        expect([key, allowed.includes(got as number)]).toEqual([key, true]);
      }
      expect(fs.existsSync(path.join(dir, 'cloudbase', 'kill.log.tmp'))).toBe(false);
    } finally {
      await store.close();
    }
  },
);
