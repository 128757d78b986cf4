/**
 * "Acknowledged means durable" for the simulator's journal, with real processes and SIGKILL: the
 * simulator is killed with acknowledged changes in its journal that no compaction has taken yet, and
 * in the middle of a compaction (as it begins, once its snapshot is written, before and after the
 * rename that installs it), while commits go on beside it. On
 * restart every acknowledged order is there and the file loads.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadOrCreateCredentials } from '../../emulator/credentials';
import { stateLog, type WechatSimulator } from '../../emulator/wechat';
import { readLog } from '../../emulator/shared/wal';
import { prepayBody, signedRequest } from './helpers';
import { spawnSimulator } from '../support/sim-process';

jest.setTimeout(120_000);
const ROOT = resolve(__dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Child {
  child: ChildProcess;
  sim: WechatSimulator;
  exited: Promise<NodeJS.Signals | null>;
}

async function startChild(dataDir: string, env: Record<string, string> = {}): Promise<Child> {
  const { child, url, exited } = await spawnSimulator(join(__dirname, 'support', 'store-child.ts'), { LOCAL_DATA_DIR: dataDir, ...env });
  // Only what signedRequest reads: the URL and the merchant's keys (from the shared data dir).
  return { child, exited, sim: { url, credentials: loadOrCreateCredentials(dataDir) } as unknown as WechatSimulator };
}

/** Prepays from `lanes` concurrent clients until the simulator stops answering (or `max` acks). */
async function prepayUntilGone(sim: WechatSimulator, tag: string, lanes: number, max = Infinity): Promise<string[]> {
  const acked: string[] = [];
  let next = 0;
  let gone = false;
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (!gone && acked.length < max) {
      const no = `${tag}${String(next++).padStart(5, '0')}`;
      try {
        const r = await signedRequest(sim, 'POST', '/v3/pay/transactions/jsapi', prepayBody(sim, no));
        if (r.status !== 200) throw new Error(`prepay ${no}: ${r.status} ${r.text}`);
        acked.push(no);
      } catch (e) {
        if (!/fetch failed|ECONNRESET|ECONNREFUSED|socket/i.test(String((e as Error).cause ?? e))) throw e;
        gone = true;
      }
    }
  }));
  return acked;
}

async function expectAllThere(dataDir: string, acked: string[]): Promise<void> {
  const again = await startChild(dataDir);
  try {
    const { mchid } = again.sim.credentials;
    for (const no of acked) {
      const q = await signedRequest(again.sim, 'GET', `/v3/pay/transactions/out-trade-no/${no}?mchid=${mchid}`);
      expect([no, q.status, q.json?.trade_state]).toEqual([no, 200, 'NOTPAY']);
    }
  } finally {
    again.child.kill('SIGTERM');
    await again.exited;
  }
}

const tempDataDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sim-kill-'));
  dirs.push(d);
  loadOrCreateCredentials(d);
  return d;
};

test('SIGKILL with acknowledged changes in the journal, not yet compacted: all of them come back', async () => {
  const dataDir = tempDataDir();
  const first = await startChild(dataDir);
  const acked = await prepayUntilGone(first.sim, 'KJ', 8, 120);
  first.child.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');
  // The snapshot from the store's opening, then journal records (concurrent acks may share one).
  const { records } = readLog(stateLog(dataDir));
  expect(records.length).toBeGreaterThan(1);
  expect(records.length).toBeLessThanOrEqual(acked.length + 1);
  await expectAllThere(dataDir, acked);
});

test.each(['open', 'snapshot-written', 'before-rename', 'after-rename'])('SIGKILL during a compaction (%s of the new snapshot): every acknowledged order comes back', async (at) => {
  const dataDir = tempDataDir();
  // A tiny journal bound: the third or fourth commit compacts; the simulator kills itself there.
  const first = await startChild(dataDir, { SIM_CRASH_AT: at, SIM_CRASH_ON: '2', SIM_JOURNAL_LIMIT_BYTES: '2000' });
  const acked = await prepayUntilGone(first.sim, 'KC', 4);
  expect(await first.exited).toBe('SIGKILL');
  expect(acked.length).toBeGreaterThan(0);
  if (at !== 'after-rename') {
    // Killed before the new snapshot was installed (begun, or written beside the old file): the old file is what loads.
    expect(existsSync(`${stateLog(dataDir)}.tmp`)).toBe(at !== 'open');
    expect(readLog(stateLog(dataDir)).records.length).toBeGreaterThan(1);
  } else {
    // Killed right after the rename: the file is the new snapshot (its header, then its parts), and
    // behind it only the commits written while it was being written.
    const records = readLog(stateLog(dataDir)).records.map((r) => JSON.parse(r) as { kind: string; snapshot?: boolean });
    expect(records[0].kind).toBe('snapshot');
    expect(records.length).toBeGreaterThan(1);
    expect(records[1].snapshot).toBe(true);
  }
  await expectAllThere(dataDir, acked);
  expect(existsSync(`${stateLog(dataDir)}.tmp`)).toBe(false);
});
