/**
 * The simulator's journal (emulator/wechat/store.ts): each commit writes only the entries a request
 * marked as changed, so a route that forgets its state.changed() mark would be lost on a crash. Here
 * every kind of change goes through its real route, then the file is read back (journal replay, no
 * compaction) and after a compaction, and both must equal the live state. Also: a torn last record is
 * dropped, and a damaged or foreign file refuses to start with SIM_STATE_CORRUPT.
 */
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { generateCredentials } from '../../emulator/credentials';
import { createState, loadState, stateLog, type WechatSimulator } from '../../emulator/wechat';
import { snapshotRecord } from '../../emulator/wechat/persist';
import { readLog } from '../../emulator/shared/wal';
import { control, prepayBody, rawFetch, signedRequest, startReceiver, startSim, testCredentials, type Receiver } from './helpers';

jest.setTimeout(60_000);
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sim-journal-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const JSAPI = '/v3/pay/transactions/jsapi';
const REFUNDS = '/v3/refund/domestic/refunds';

/** What the data dir holds, loaded into a fresh state (journal replayed as a restart would). */
function fromDisk(dir: string): string {
  const copy = createState({ credentials: testCredentials() });
  expect(loadState(copy, dir)).toBe(true);
  return snapshotRecord(copy);
}

// The second merchant endpoint always fails, so its delivery stays pending with a retry scheduled.
let receiver: Receiver;
let failing: Receiver;
let redirects: Record<string, string>;
beforeAll(async () => {
  receiver = await startReceiver();
  failing = await startReceiver(() => 500);
  redirects = { 'https://notify.local.test': receiver.url, 'https://fail.local.test': failing.url };
});
afterAll(() => Promise.all([receiver.close(), failing.close()]));

/**
 * Every kind of change, through its route. `check` runs after each step, once nothing is in flight:
 * a later change to the same entry must not hide a step whose mark is missing.
 */
async function exerciseEveryChange(sim: WechatSimulator, check: (step: string) => void): Promise<void> {
  const { mchid } = sim.credentials;
  const ok = (r: { status: number; text: string }, status = 200) => expect(`${r.status} ${r.text}`).toMatch(new RegExp(`^${status}\\b`));
  const prepays: Record<string, string> = {};
  const prepay = async (no: string, extra: Record<string, unknown> = {}) => {
    const r = await signedRequest(sim, 'POST', JSAPI, prepayBody(sim, no, extra));
    ok(r);
    prepays[no] = r.json.prepay_id as string;
  };
  const refund = (no: string, amount: number, extra: Record<string, unknown> = {}) =>
    signedRequest(sim, 'POST', REFUNDS, { out_trade_no: 'JRN_PAID', out_refund_no: no, amount: { refund: amount, total: 100, currency: 'CNY' }, ...extra });
  const steps: [string, () => Promise<unknown>][] = [
    ['prepay', () => prepay('JRN_PAID')],
    ['prepay to close', () => prepay('JRN_CLOSED')],
    ['prepay whose notifications fail', () => prepay('JRN_FAIL', { notify_url: 'https://fail.local.test/pay' })],
    ['prepay that expires', () => prepay('JRN_EXPIRING')],
    ['pay (+ notification delivered)', async () => ok(await control(sim, 'POST', '/pay', { prepay_id: prepays.JRN_PAID }))],
    ['pay (+ notification rejected, retry pending)', async () => ok(await control(sim, 'POST', '/pay', { prepay_id: prepays.JRN_FAIL }))],
    ['refused payment changes nothing', async () => ok(await control(sim, 'POST', '/pay', { prepay_id: prepays.JRN_PAID, result: 'CANCEL' }), 409)],
    ['close', async () => ok(await signedRequest(sim, 'POST', '/v3/pay/transactions/out-trade-no/JRN_CLOSED/close', { mchid }), 204)],
    ['refund created', async () => ok(await refund('JRN_R1', 10, { notify_url: 'https://notify.local.test/refund' }))],
    ['refund finished SUCCESS (+ notification), retry attempted', async () => ok(await control(sim, 'POST', '/clock', { advanceSeconds: 61 }))],
    ['faults and seed', async () => ok(await control(sim, 'POST', '/faults', { refundOutcome: 'CLOSED', seed: 7 }))],
    ['second refund created', async () => ok(await refund('JRN_R2', 20))],
    ['second refund CLOSED: amount refundable again', async () => ok(await control(sim, 'POST', '/clock', { advanceSeconds: 6 }))],
    ['clock past the prepay expiry', async () => ok(await control(sim, 'POST', '/clock', { advanceSeconds: 2 * 3600 + 1 }))],
    ['same out_trade_no again: a new prepay on the old order', () => prepay('JRN_EXPIRING')],
    ['login code minted', async () => (prepays.code = (await control(sim, 'POST', '/login-code', { openid: 'o-journal' })).json.code)],
    ['login code used', async () => ok(await rawFetch(`${sim.url}/sns/jscode2session?appid=${sim.credentials.appid}&secret=x&js_code=${prepays.code}&grant_type=authorization_code`))],
    ['ledger amount edited', async () => ok(await control(sim, 'POST', '/ledger/amount', { out_trade_no: 'JRN_PAID', total: 99 }))],
    ['migration mode', async () => ok(await control(sim, 'POST', '/keys', { mode: 'migration', notifyPublicKeyShare: 0.25 }))],
    ['certificate rotated', async () => ok(await control(sim, 'POST', '/certificates/rotate'))],
    ['bill faults', async () => ok(await control(sim, 'POST', '/bills/faults', { slowBillMs: 1 }))],
    ['delivered notification resent', async () => {
      const delivered = sim.state.deliveries.find((d) => d.out_trade_no === 'JRN_PAID' && d.state === 'delivered')!;
      ok(await control(sim, 'POST', `/notifications/${delivered.id}/resend`), 202);
    }],
  ];
  for (const [name, step] of steps) {
    await step();
    await sim.state.settled(0);
    await sim.state.durable();
    check(name);
  }
}

test('every kind of change is in the journal, and a compaction then a restart give the same state', async () => {
  const dir = tempDir();
  const sim = await startSim({ dataDir: dir, timeScale: 1, notifyRedirects: redirects });
  let live: string;
  try {
    await exerciseEveryChange(sim, (step) => expect({ step, disk: fromDisk(dir) }).toEqual({ step, disk: snapshotRecord(sim.state) }));
    const states = sim.state.deliveries.map((d) => `${d.out_trade_no}:${d.event_type}:${d.state}`).sort();
    expect(states).toEqual(['JRN_FAIL:TRANSACTION.SUCCESS:pending', 'JRN_PAID:REFUND.SUCCESS:delivered', 'JRN_PAID:TRANSACTION.SUCCESS:delivered']);
    expect([...sim.state.refunds.values()].map((r) => r.status)).toEqual(['SUCCESS', 'CLOSED']);
    // Only the snapshot taken when the store opened; everything since is journal records.
    expect(sim.store!.stats().compactions).toBe(1);
    expect(readLog(stateLog(dir)).records.length).toBeGreaterThan(10);
    live = snapshotRecord(sim.state);
    expect(fromDisk(dir)).toBe(live);
  } finally {
    await sim.close();
  }
  // Clean shutdown compacted the journal into one snapshot (a header, then parts holding the
  // collections' entries, no journal record behind them), which loads to the same state…
  const [header, ...parts] = readLog(stateLog(dir)).records.map((r) => JSON.parse(r) as { kind: string; snapshot?: boolean });
  expect(header.kind).toBe('snapshot');
  expect(parts.length).toBeGreaterThan(0);
  expect(parts.filter((p) => p.snapshot !== true)).toEqual([]);
  expect(fromDisk(dir)).toBe(live);
  // …and a simulator started on it carries on from there (the pending retry goes back on the schedule).
  const again = await startSim({ dataDir: dir, timeScale: 1, notifyRedirects: redirects });
  try {
    expect(snapshotRecord(again.state)).toBe(live);
    expect(again.state.scheduler.pending()).toBeGreaterThan(0);
  } finally {
    await again.close();
  }
});

test('a journal past its bound is compacted between commits, and every step still reads back the same', async () => {
  const dir = tempDir();
  // About three commits' worth: the run crosses the bound many times.
  const sim = await startSim({ dataDir: dir, timeScale: 1, notifyRedirects: redirects, journalLimitBytes: 3000 });
  try {
    await exerciseEveryChange(sim, (step) => expect({ step, disk: fromDisk(dir) }).toEqual({ step, disk: snapshotRecord(sim.state) }));
    expect(sim.store!.stats().compactions).toBeGreaterThan(3);
  } finally {
    await sim.close();
  }
});

test('a notification is on disk with the acknowledgement that created it, before its attempt ends', async () => {
  const dir = tempDir();
  let release: () => void = () => undefined;
  const held = await startReceiver(() => new Promise<number>((r) => (release = () => r(204))));
  const sim = await startSim({ dataDir: dir, timeScale: 1, notifyRedirects: { 'https://notify.local.test': held.url } });
  const onDisk = () => {
    const copy = createState({ credentials: testCredentials() });
    loadState(copy, dir);
    return copy.deliveries.map((d) => ({ state: d.state, attempts: d.attempts.length }));
  };
  const untilReceived = async (n: number) => {
    while (held.received.length < n) await new Promise((r) => setTimeout(r, 5));
  };
  try {
    const prepay = (await signedRequest(sim, 'POST', JSAPI, prepayBody(sim, 'JRN_HELD'))).json.prepay_id;
    expect((await control(sim, 'POST', '/pay', { prepay_id: prepay })).status).toBe(200);
    // The payment was acknowledged while its first attempt waits at the merchant: a crash now must
    // still find the notification to send (else a paid order would never be notified).
    await untilReceived(1);
    expect(onDisk()).toEqual([{ state: 'pending', attempts: 0 }]);
    // Another commit while the attempt is in flight writes the attempt as begun.
    expect((await control(sim, 'POST', '/faults', {})).status).toBe(200);
    expect(onDisk()).toEqual([{ state: 'pending', attempts: 1 }]);
    release();
    await sim.state.settled(0);
    expect(onDisk()).toEqual([{ state: 'delivered', attempts: 1 }]);
    // An acknowledged resend is on disk as pending again before its attempt ends.
    expect((await control(sim, 'POST', `/notifications/${sim.state.deliveries[0].id}/resend`)).status).toBe(202);
    await untilReceived(2);
    expect(onDisk()).toEqual([{ state: 'pending', attempts: 1 }]);
    release();
    await sim.state.settled(0);
  } finally {
    release();
    await sim.close();
    await held.close();
  }
});

test('a reset is written as a fresh snapshot, and the journal goes on after it', async () => {
  const dir = tempDir();
  const sim = await startSim({ dataDir: dir });
  try {
    expect((await signedRequest(sim, 'POST', JSAPI, prepayBody(sim, 'JRN_BEFORE_RESET'))).status).toBe(200);
    expect((await control(sim, 'POST', '/reset')).status).toBe(204);
    expect((await signedRequest(sim, 'POST', JSAPI, prepayBody(sim, 'JRN_AFTER_RESET'))).status).toBe(200);
    const text = readFileSync(stateLog(dir), 'utf8');
    expect(text).not.toContain('JRN_BEFORE_RESET');
    expect(fromDisk(dir)).toBe(snapshotRecord(sim.state));
  } finally {
    await sim.close();
  }
});

/** The file as a crash would leave it: copied from a live simulator after its acknowledged writes. */
async function crashImage(orders: string[]): Promise<string> {
  const dir = tempDir();
  const sim = await startSim({ dataDir: dir });
  try {
    for (const no of orders) expect((await signedRequest(sim, 'POST', JSAPI, prepayBody(sim, no))).status).toBe(200);
    const image = tempDir();
    mkdirSync(join(image, 'wechat'));
    copyFileSync(stateLog(dir), stateLog(image));
    return image;
  } finally {
    await sim.close();
  }
}

test('a torn last record (a write cut short by a crash, never acknowledged) is dropped, and the journal goes on', async () => {
  const image = await crashImage(['JRN_T1', 'JRN_T2']);
  const intact = readFileSync(stateLog(image));
  appendFileSync(stateLog(image), '0badc0de {"format":2,"kind":"change","put":[["orders","x:JRN_TORN",{"out_tr');
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const sim = await startSim({ dataDir: image });
  try {
    expect(warn.mock.calls.join('\n')).toMatch(/torn tail.*dropped 1 incomplete record/);
    expect([...sim.state.orders.values()].map((o) => o.out_trade_no)).toEqual(['JRN_T1', 'JRN_T2']);
    expect(readFileSync(stateLog(image))).toEqual(intact);
    expect((await signedRequest(sim, 'POST', JSAPI, prepayBody(sim, 'JRN_T3'))).status).toBe(200);
    expect(fromDisk(image)).toBe(snapshotRecord(sim.state));
  } finally {
    warn.mockRestore();
    await sim.close();
  }
});

test('a damaged record, a file of another merchant, or one that is not a simulator state refuses to start (SIM_STATE_CORRUPT)', async () => {
  const image = await crashImage(['JRN_C1', 'JRN_C2']);
  const text = readFileSync(stateLog(image), 'utf8');
  const refused = (dataDir: string, credentials = testCredentials()) => startSim({ dataDir, credentials }).then(
    (s) => s.close().then(() => undefined),
    (e: { code?: string; message: string }) => e,
  );

  // One byte changed inside a complete record: corruption, not a crash.
  writeFileSync(stateLog(image), text.replace('JRN_C1', 'JRN_X1'));
  expect(await refused(image)).toMatchObject({ code: 'SIM_STATE_CORRUPT', message: expect.stringMatching(/corrupt record at byte \d+ followed by valid records/) });

  writeFileSync(stateLog(image), text);
  expect(await refused(image, generateCredentials())).toMatchObject({ code: 'SIM_STATE_CORRUPT', message: expect.stringContaining('belongs to merchant') });

  // A well-framed record that is not a snapshot of this format (e.g. a CloudBase log copied here).
  const foreign = JSON.stringify({ op: 'insert', collection: 'orders', doc: {} });
  writeFileSync(stateLog(image), `${crc32(Buffer.from(foreign)).toString(16).padStart(8, '0')} ${foreign}\n`);
  expect(await refused(image)).toMatchObject({ code: 'SIM_STATE_CORRUPT', message: expect.stringContaining('not a simulator state file of format 2') });
});

test('a format-1 state.json (the whole-state file) is read once and replaced by the journal', async () => {
  const dir = tempDir();
  const sim = await startSim();
  let expected: string;
  try {
    expect((await signedRequest(sim, 'POST', JSAPI, prepayBody(sim, 'JRN_LEGACY'))).status).toBe(200);
    const record = JSON.parse(snapshotRecord(sim.state));
    mkdirSync(join(dir, 'wechat'));
    writeFileSync(join(dir, 'wechat', 'state.json'), JSON.stringify({ format: 1, owner: record.owner, clockOffsetMs: 0, fields: record.fields }));
    expected = snapshotRecord(sim.state);
  } finally {
    await sim.close();
  }
  const upgraded = await startSim({ dataDir: dir });
  try {
    expect(snapshotRecord(upgraded.state)).toBe(expected);
    expect(() => readFileSync(join(dir, 'wechat', 'state.json'))).toThrow();
    expect(fromDisk(dir)).toBe(expected);
  } finally {
    await upgraded.close();
  }
});
