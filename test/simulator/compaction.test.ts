/**
 * The journal's compaction beside the commits (DurableLog.compact via store.ts), in process on real
 * files: with thousands of paid orders in the ledger, the snapshot is written across many event-loop
 * turns, a timer set when it starts runs before it ends, requests made meanwhile (new orders, and
 * closing them: entries changed in place) are answered (so durable) before it ends, and the file
 * then loads to exactly the live state.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createState, loadState } from '../../emulator/wechat';
import { snapshotRecord } from '../../emulator/wechat/persist';
import { seedPaidOrders } from '../../scripts/bench/workers/sim-ledger';
import { prepayBody, signedRequest, startSim, testCredentials } from './helpers';

jest.setTimeout(120_000);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fromDisk(dir: string): string {
  const copy = createState({ credentials: testCredentials() });
  expect(loadState(copy, dir)).toBe(true);
  return snapshotRecord(copy);
}

test('a compaction of 5k paid orders yields to the event loop, requests are answered meanwhile, and the file loads to the live state', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-compact-'));
  dirs.push(dir);
  const sim = await startSim({ dataDir: dir });
  try {
    seedPaidOrders(sim.state, 5000);
    await sim.store!.compact();

    let done = false;
    const compaction = sim.store!.compact().then(() => (done = true));
    let timerRanFirst: boolean | undefined;
    const timer = new Promise<void>((resolve) => setTimeout(() => resolve(void (timerRanFirst = !done)), 0));
    const { mchid } = sim.credentials;
    let answeredDuring = 0;
    for (let i = 0; !done; i++) {
      const no = `CMP${String(i).padStart(6, '0')}`;
      const prepay = await signedRequest(sim, 'POST', '/v3/pay/transactions/jsapi', prepayBody(sim, no));
      expect(prepay.status).toBe(200);
      if (i % 2 === 1) expect((await signedRequest(sim, 'POST', `/v3/pay/transactions/out-trade-no/${no}/close`, { mchid })).status).toBe(204);
      if (!done) answeredDuring += 1;
    }
    await compaction;
    await timer;

    const report = sim.store!.lastCompaction()!;
    expect(timerRanFirst).toBe(true);
    expect(report.slices).toBeGreaterThan(10);
    expect(answeredDuring).toBeGreaterThan(0);
    expect(report.tailBytes).toBeGreaterThan(0);
    await sim.store!.durable();
    expect(fromDisk(dir)).toBe(snapshotRecord(sim.state));
  } finally {
    await sim.close();
  }
});
