/**
 * Making a change durable costs the change, not the state: the bytes the simulator writes per
 * mutating request are the same with 1k and with 10k orders already in its ledger. Measured on the
 * real files (a file replaced by a new one counts whole, one appended to counts what it grew), so
 * the whole-state save this replaced (about 0.5 KB per order per request) fails here. Bytes, not
 * time: `npm run bench -- simstore` prints the CPU and time.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedPaidOrders } from '../../scripts/bench/workers/sim-ledger';
import { prepayBody, signedRequest, startSim, control } from './helpers';

jest.setTimeout(120_000);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

type Files = Map<string, { ino: number; size: number }>;
function files(dir: string): Files {
  const wechat = join(dir, 'wechat');
  return new Map(readdirSync(wechat).map((f) => {
    const s = statSync(join(wechat, f));
    return [f, { ino: s.ino, size: s.size }];
  }));
}
function written(before: Files, after: Files): number {
  let bytes = 0;
  for (const [f, now] of after) {
    const then = before.get(f);
    bytes += then && then.ino === now.ino && now.size >= then.size ? now.size - then.size : now.size;
  }
  return bytes;
}

/** Bytes written per mutating request (prepay, pay, refund, prepay, close; and the notification attempt the payment schedules). */
async function bytesPerRequest(orders: number): Promise<{ perRequest: number; stateBytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sim-cost-'));
  dirs.push(dir);
  const seeding = await startSim({ dataDir: dir });
  seedPaidOrders(seeding.state, orders);
  await seeding.store!.compact();
  await seeding.close();
  const stateBytes = [...files(dir).values()].reduce((s, f) => s + f.size, 0);

  const sim = await startSim({ dataDir: dir });
  try {
    let requests = 0;
    let bytes = 0;
    // Measured around each request (and what it scheduled), so a file rewritten per request counts each time.
    const measured = async (status: number, request: () => Promise<{ status: number; text: string; json: any }>) => {
      const before = files(dir);
      const r = await request();
      await sim.state.settled(0);
      await sim.state.durable();
      bytes += written(before, files(dir));
      requests += 1;
      expect(`${r.status} ${r.text}`).toMatch(new RegExp(`^${status}\\b`));
      return r;
    };
    for (let round = 0; round < 4; round++) {
      const paid = `COST_PAID_${round}`;
      const prepay = await measured(200, () => signedRequest(sim, 'POST', '/v3/pay/transactions/jsapi', prepayBody(sim, paid)));
      await measured(200, () => control(sim, 'POST', '/pay', { prepay_id: prepay.json.prepay_id }));
      await measured(200, () => signedRequest(sim, 'POST', '/v3/refund/domestic/refunds', { out_trade_no: paid, out_refund_no: `COST_R_${round}`, amount: { refund: 100, total: 100, currency: 'CNY' } }));
      await measured(200, () => signedRequest(sim, 'POST', '/v3/pay/transactions/jsapi', prepayBody(sim, `COST_CLOSE_${round}`)));
      await measured(204, () => signedRequest(sim, 'POST', `/v3/pay/transactions/out-trade-no/COST_CLOSE_${round}/close`, { mchid: sim.credentials.mchid }));
    }
    return { perRequest: bytes / requests, stateBytes };
  } finally {
    await sim.close();
  }
}

test('bytes written per mutating request do not grow with the orders already there (1k vs 10k)', async () => {
  const small = await bytesPerRequest(1000);
  const large = await bytesPerRequest(10_000);
  // The state itself is ten times larger…
  expect(large.stateBytes).toBeGreaterThan(8 * small.stateBytes);
  // …what a request writes is not: a few KB at most, the same at both sizes (ids differ by a digit or two).
  expect(small.perRequest).toBeGreaterThan(200);
  expect(small.perRequest).toBeLessThan(4096);
  expect(large.perRequest).toBeLessThan(small.perRequest * 1.05 + 64);
  console.log(`bytes per mutating request: ${small.perRequest.toFixed(0)} at 1k orders (state ${small.stateBytes} B), ${large.perRequest.toFixed(0)} at 10k (state ${large.stateBytes} B)`);
});
