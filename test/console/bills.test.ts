// The console's bill reconciliation over real HTTP against the real stack: GET /api/bills (the days
// as reconcileBill shows them, and the window of dates a run may ask for), POST /api/bills/run
// (reconcileBill as the stack's staff openid: bad input refused before anything is sent, the
// function's refusals relayed unchanged, a day with a paid and a tampered order → DISCREPANCIES with
// both sides' amounts). A second console on the same stack with a non-staff openid gets FORBIDDEN.
import { addDays, chinaDateOf } from '../../lib/bills/days';
import { chinaDate, chinaMidnight } from '../../emulator/wechat/bills/ledger';
import { startConsole, type ConsoleServer } from '../../emulator/console';
import { sseReader } from './sse';
import { consoleApi, consolePerFile, type ConsoleFixture } from './stack';

let fx: ConsoleFixture;
jest.setTimeout(60_000);
consolePerFile((f) => void (fx = f));

const api = (method: 'GET' | 'POST', path: string, body?: unknown, base = fx.console.url) => consoleApi(base, method, path, body);

async function paid(openid: string, quantity: number): Promise<string> {
  const created = await api('POST', '/api/functions/createOrder', { openid, data: { items: [{ productId: 'coffee', quantity }] } });
  const no = created.body.result.outTradeNo as string;
  expect((await api('POST', '/api/pay', { outTradeNo: no })).status).toBe(200);
  await fx.harness.waitFor('paid', async () => (await fx.harness.order(no))?.status === 'SUCCESS');
  return no;
}

const days = async (): Promise<number> => fx.harness.stack.admin.count('bill_reconciliations');

test('bad dates are refused by the console (nothing sent) or by reconcileBill (its answer unchanged)', async () => {
  const list = await api('GET', '/api/bills');
  const today = chinaDateOf(Date.now());
  expect(list).toEqual({ status: 200, body: { days: [], window: { from: addDays(today, -90), to: today, suggested: addDays(today, -1) } } });

  for (const billDate of [undefined, '', 20261130, '2026-11-3', '30/11/2026', '2026-02-30']) {
    const r = await api('POST', '/api/bills/run', { billDate });
    expect(r).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });
    expect(r.body.error.message).toMatch(/YYYY-MM-DD/);
  }
  expect(await days()).toBe(0);

  // Well-formed, but not a day WeChat Pay has a bill for: the function says so, in its own words.
  const future = await api('POST', '/api/bills/run', { billDate: '2099-01-01' });
  expect(future).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT', retryable: false } } });
  expect(future.body.error.message).toMatch(/2099-01-01 is in the future/);
  const old = await api('POST', '/api/bills/run', { billDate: addDays(today, -91) });
  expect(old.body.error.message).toMatch(/older than 90 days: WeChat Pay keeps bills for the last 3 months/);
  expect(await days()).toBe(0);
});

test('run a day: NOT_READY before 10:00 the next day, then DISCREPANCIES with both sides in fen; the list shows it', async () => {
  const ok = await paid('o-bill-1', 2);
  const tampered = await paid('o-bill-2', 1);
  await fx.harness.sim('POST', '/__sim/ledger/amount', { out_trade_no: tampered, total: 1700 });
  const day = chinaDate((await fx.harness.sim('GET', '/__sim/clock')).now);

  expect(await api('POST', '/api/bills/run', { billDate: day })).toMatchObject({ status: 200, body: { day: { billDate: day, status: 'NOT_READY' } } });
  const clock = await fx.harness.sim('GET', '/__sim/clock');
  await fx.harness.sim('POST', '/__sim/clock', { advanceSeconds: (chinaMidnight(day) + 34 * 3600_000 + 60_000 - clock.now) / 1000 });

  const run = await api('POST', '/api/bills/run', { billDate: day });
  expect(run.status).toBe(200);
  expect(run.body.day).toMatchObject({
    billDate: day, status: 'DISCREPANCIES', matched: 1, healedCount: 0, discrepancyCount: 1, rows: { payments: 2, refunds: 0 }, requestedBy: fx.harness.stack.staffOpenid,
    discrepancies: [{ kind: 'AMOUNT_MISMATCH', outTradeNo: tampered, bill: expect.objectContaining({ amountFen: 1700 }), ours: expect.objectContaining({ amountFen: 1800 }) }],
  });
  expect(run.body.day.discrepancies.map((d: any) => d.outTradeNo)).not.toContain(ok);

  const { body } = await api('GET', '/api/bills');
  expect(body.days).toHaveLength(1);
  expect(body.days[0]).toMatchObject({ billDate: day, status: 'DISCREPANCIES', runs: 2, discrepancies: run.body.day.discrepancies });
  // The view, not the stored document: no lease or stopped-run internals.
  expect(body.days[0].leaseUntil).toBeUndefined();
  expect(body.days[0].progress).toBeUndefined();
});

test('/api/events announces a run that moved nothing but its own day (the bills part)', async () => {
  // Yesterday had no trades (NO_STATEMENT, or NOT_READY before 10:00 on WeChat Pay's clock). The first
  // run creates the day's document, a second one only rewrites it (runs + 1) — no count, order or
  // refund moves, so only the bills part can tell.
  const yesterday = addDays(chinaDateOf(Date.now()), -1);
  const controller = new AbortController();
  const res = await fetch(`${fx.console.url}/api/events`, { signal: controller.signal });
  const sse = sseReader(res.body!);
  try {
    await sse.next((e) => e.event === 'hello');
    expect((await api('POST', '/api/bills/run', { billDate: yesterday })).body.day).toMatchObject({ billDate: yesterday, runs: 1 });
    await sse.next((e) => e.event === 'change' && e.data.changed.includes('bills'));
    const before = sse.drained();
    expect((await fx.harness.call('reconcileBill', { action: 'run', billDate: yesterday }, fx.harness.stack.staffOpenid)).day.runs).toBe(2);
    const change = await sse.next((e) => e.event === 'change' && e.data.version > before && e.data.changed.includes('bills'));
    expect(change.data.changed).not.toContain('counts');
  } finally {
    controller.abort();
  }
});

test("reconcileBill's own refusal comes back unchanged: a console whose staff openid is not allowlisted gets FORBIDDEN", async () => {
  const { stack } = fx.harness;
  const options = { port: 0, cloudbaseUrl: stack.cloudbaseUrl, envId: stack.envId, simulatorUrl: stack.simulatorUrl, apiV3Key: stack.credentials.apiV3Key };
  let other: ConsoleServer | undefined;
  let none: ConsoleServer | undefined;
  try {
    [other, none] = await Promise.all([startConsole({ ...options, info: { staffOpenid: 'oNOTSTAFF0000000000000000001' } }), startConsole(options)]);
    const forbidden = await api('POST', '/api/bills/run', { billDate: addDays(chinaDateOf(Date.now()), -1) }, other.url);
    expect(forbidden).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN', retryable: false } } });
    expect(forbidden.body.error.message).toMatch(/BILL_ADMIN_OPENIDS/);
    expect(await api('POST', '/api/bills/run', { billDate: '2026-11-30' }, none.url)).toMatchObject({ status: 409, body: { error: { code: 'NO_STAFF_OPENID' } } });
  } finally {
    await Promise.all([other?.close(), none?.close()]);
  }
});
