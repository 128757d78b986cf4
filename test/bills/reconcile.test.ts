/**
 * lib/bills in-process on the real pieces (wx-server-sdk on the CloudBase emulator, the client on
 * the simulator): matching both ways, healing through verified queries, the hash path committing
 * nothing, resuming from a cursor, the statuses for a bill not ready or absent, idempotence.
 */
import { billTimerTick, reconcileBillDay, type BillReconciliation } from '../../lib/bills';
import { COLLECTIONS } from '../../lib/store/collections';
import { startWorld, type World } from './world';

jest.setTimeout(120_000);

let w: World;
const run = (date: string): Promise<BillReconciliation> => reconcileBillDay(w.deps, date, { requestedBy: 'test' });
const strip = (doc: BillReconciliation): Partial<BillReconciliation> => {
  const { runs: _r, startedAt: _s, finishedAt: _f, updatedAt: _u, ...rest } = doc;
  return rest;
};
const snapshot = async (): Promise<unknown> => ({
  orders: await w.all(COLLECTIONS.orders), refunds: await w.all(COLLECTIONS.refunds), events: await w.all(COLLECTIONS.paymentEvents),
});

describe('a day with paid, refunded, partly refunded, lost and tampered orders', () => {
  let day: string;
  const no: Record<string, string> = {};
  beforeAll(async () => {
    w = await startWorld({ batchSize: '2' });
    no.paid = await w.paidOrder(1);
    no.refunded = await w.paidOrder(2);
    await w.refund(no.refunded);
    no.partly = await w.paidOrder(3);
    await w.refund(no.partly, 500);
    no.lost = await w.paidOrder(1, false); // paid at WeChat Pay, our notification never came
    no.tampered = await w.paidOrder(1);
    await fetch(`${w.sim.url}/__sim/ledger/amount`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ out_trade_no: no.tampered, total: 1100 }) });
  });
  afterAll(() => w.close());

  test('before 10:00 China time of the next day: NOT_READY, nothing else touched', async () => {
    const before = await snapshot();
    const doc = await run(new Date(w.sim.state.now() + 8 * 3600_000).toISOString().slice(0, 10));
    expect(doc.status).toBe('NOT_READY');
    expect(await snapshot()).toEqual(before);
  });

  test('a corrupted download (hash mismatch) → FAILED, the lost order is NOT healed, nothing staged kept', async () => {
    day = await w.makeBillReady();
    await fetch(`${w.sim.url}/__sim/bills/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ corruptBill: true }) });
    const before = await snapshot();
    const doc = await run(day);
    await fetch(`${w.sim.url}/__sim/bills/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(doc).toMatchObject({ status: 'FAILED', error: { code: 'BILL_HASH_MISMATCH' } });
    expect(doc.progress).toBeUndefined();
    expect((await w.order(no.lost)).status).toBe('NOTPAY');
    expect(await snapshot()).toEqual(before);
  });

  test('the run heals the lost order through a verified query, flags the tampered one, matches the rest', async () => {
    const doc = await run(day);
    expect(doc.status).toBe('DISCREPANCIES');
    expect(doc.healed).toEqual([{ outTradeNo: no.lost, from: 'NOTPAY', to: 'SUCCESS', amountFen: 1200, successTime: expect.stringMatching(/^\d{4}-/) }]);
    expect(doc.healedCount).toBe(1);
    expect(doc.discrepancyCount).toBe(1);
    expect(doc.discrepancies[0]).toMatchObject({ kind: 'AMOUNT_MISMATCH', outTradeNo: no.tampered, bill: { amountFen: 1100 }, ours: { amountFen: 1200 } });
    // 5 payment rows (lost: healed; tampered: flagged) and 2 refund rows.
    expect(doc.rows).toEqual({ payments: 5, refunds: 2 });
    expect(doc.matched).toBe(3 + 2);
    expect(doc.bill).toMatchObject({ count: 7, grossFen: 1200 + 2400 + 3600 + 1200 + 1100, refundFen: 2400 + 500 });
    expect(doc.bill!.feeMilliFen).toBe((1200 + 2400 + 3600 + 1200 + 1100 - 2900) * 6);
    expect(doc.ours).toMatchObject({ paidCount: 5, grossFen: 1200 * 8, refundCount: 2, refundFen: 2900 });
    expect(doc.billHash).toMatch(/^[0-9a-f]{40}$/);
    const lost = await w.order(no.lost);
    expect(lost.status).toBe('SUCCESS');
    expect(lost.transitions.at(-1)).toMatchObject({ from: 'NOTPAY', to: 'SUCCESS', source: 'bill' });
    const events = await w.all(COLLECTIONS.paymentEvents);
    expect(events.find((e) => e._id === `transition:${no.lost}:NOTPAY:SUCCESS`)).toMatchObject({ source: 'bill' });
    expect(events.find((e) => e._id === `anomaly:bill:${day}:AMOUNT_MISMATCH:${no.tampered}`)).toBeDefined();
    // The tampered order stays as it was: a disagreement is never "healed" by the bill.
    expect((await w.order(no.tampered)).status).toBe('SUCCESS');
  });

  test('a second run changes nothing: same orders, refunds, events and the same day result', async () => {
    const before = await snapshot();
    const first = (await w.all(COLLECTIONS.billReconciliations)).find((d) => d._id === day) as unknown as BillReconciliation;
    const second = await run(day);
    expect(await snapshot()).toEqual(before);
    expect(strip(second)).toEqual(strip({ ...first, billHash: second.billHash }));
    expect(second.runs).toBe(first.runs + 1);
  });
});

describe('our side against an absent bill', () => {
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(() => w.close());

  test('a day with no trades at all: NO_STATEMENT', async () => {
    const day = new Date(w.sim.state.now() + 8 * 3600_000 - 2 * 86400_000).toISOString().slice(0, 10);
    expect((await run(day)).status).toBe('NO_STATEMENT');
  });

  test('we say paid, WeChat Pay has no record (NO_STATEMENT_EXIST, query NOTPAY) → NOT_AT_WECHAT', async () => {
    const outTradeNo = await w.paidOrder(1);
    // Our record says paid; WeChat Pay's ledger says it never was (a forged "paid" in our database).
    w.sim.state.orders.forEach((o) => {
      if (o.out_trade_no === outTradeNo) Object.assign(o, { trade_state: 'NOTPAY', success_time: undefined, transaction_id: undefined });
    });
    const day = await w.makeBillReady();
    const doc = await run(day);
    expect(doc.status).toBe('DISCREPANCIES');
    expect(doc.discrepancies).toEqual([expect.objectContaining({ kind: 'NOT_AT_WECHAT', outTradeNo, ours: expect.objectContaining({ amountFen: 1200, status: 'SUCCESS' }) })]);
  });

  test('the timer: nothing before 10:30 China time; then yesterday until it is final', async () => {
    // The simulator's clock is at 10:01 China time the day after the payments (makeBillReady).
    w.clock.now = w.sim.state.now();
    expect(await billTimerTick(w.deps)).toMatchObject({ ran: false, reason: 'before 10:30 China time' });
    w.clock.now += 30 * 60_000;
    expect(await billTimerTick(w.deps)).toMatchObject({ ran: false, reason: 'already DISCREPANCIES' });
    w.sim.state.clock.advance(24 * 3600_000 + 30 * 60_000);
    w.clock.now = w.sim.state.now();
    const tick = await billTimerTick(w.deps);
    expect(tick).toMatchObject({ ran: true, day: { status: 'NO_STATEMENT', requestedBy: 'timer' } });
    expect(await billTimerTick(w.deps)).toMatchObject({ ran: false, reason: 'already NO_STATEMENT' });
  });

  test('a refund WeChat Pay finished while ours is still PROCESSING is healed through the refund query', async () => {
    w.clock.now = w.sim.state.now();
    const outTradeNo = await w.paidOrder(2);
    await w.refund(outTradeNo, 1000, false);
    const [mine] = (await w.all(COLLECTIONS.refunds)).filter((r) => r.outTradeNo === outTradeNo);
    expect(mine.status).toBe('PROCESSING');
    const day = await w.makeBillReady();
    const doc = await run(day);
    expect(doc).toMatchObject({ status: 'HEALED', healed: [{ outTradeNo, outRefundNo: mine._id, from: 'PROCESSING', to: 'SUCCESS', amountFen: 1000 }], discrepancyCount: 0 });
    const [after] = (await w.all(COLLECTIONS.refunds)).filter((r) => r._id === mine._id);
    expect(after).toMatchObject({ status: 'SUCCESS', transitions: [expect.objectContaining({ source: 'bill' })] });
  });

  test('D±1: an order we date on the day before, which WeChat Pay dates today, is shifted, not missing', async () => {
    w.clock.now = w.sim.state.now();
    const outTradeNo = await w.paidOrder(1);
    const day = await w.makeBillReady();
    const previous = new Date(Date.parse(`${day}T00:00:00+08:00`) - 1000 + 8 * 3600_000).toISOString().slice(0, 10);
    await w.cb.db.collection(COLLECTIONS.orders).doc(outTradeNo).update({ data: { paidAt: new Date(Date.parse(`${day}T00:00:00+08:00`) - 1000) } });
    const before = await run(previous);
    expect(before).toMatchObject({ shifted: 1, discrepancyCount: 0 });
    expect((await run(day)).discrepancyCount).toBe(0); // the day's bill has the row and it matches
  });
});

describe('scale mechanics', () => {
  beforeAll(async () => {
    w = await startWorld({ batchSize: '2', timeBudgetMs: '1000' });
  });
  afterAll(() => w.close());

  test('a run that reaches its time budget leaves a cursor; the next run resumes there and finishes', async () => {
    const orders = [];
    for (let i = 0; i < 5; i++) orders.push(await w.paidOrder(1, i !== 3));
    const day = await w.makeBillReady();
    w.clock.step = 600; // each look at the clock costs 0.6 s: the budget runs out after the first batch
    const first = await run(day);
    expect(first.status).toBe('RUNNING');
    expect(first.progress?.cursor).toBe(2);
    expect((await w.order(orders[3])).status).toBe('NOTPAY'); // nothing healed before the whole file is verified
    const second = await run(day);
    expect(second.progress?.cursor).toBe(4);
    w.clock.step = 0;
    const last = await run(day);
    expect(last).toMatchObject({ status: 'HEALED', matched: 4, healedCount: 1, rows: { payments: 5, refunds: 0 } });
    expect((await w.order(orders[3])).status).toBe('SUCCESS');
  });

  test('two runs of one day at once: one works, the other returns the day as it is', async () => {
    const day = new Date(w.sim.state.now() + 8 * 3600_000 - 86400_000).toISOString().slice(0, 10);
    const before = (await run(day)).runs;
    const [a, b] = await Promise.all([run(day), run(day)]);
    // Exactly one of them ran (runs + 1); the other found the day leased and answered it unchanged.
    expect([a.runs, b.runs].sort()).toEqual([before, before + 1]);
  });
});
