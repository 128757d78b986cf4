/**
 * Bill reconciliation end to end on the local stack: esbuild-built functions (reconcileBill among
 * them) on the real wx-server-sdk and CloudBase emulator; WeChat Pay played by the simulator, which
 * serves the day's bill from its own ledger. One day with a paid, a refunded, a partly refunded, a
 * lost-notification (notification dropped, timer off) and a tampered order (the simulator's ledger
 * amount disagrees) → the lost one is healed, the tampered one flagged, the rest matched; a second
 * run changes nothing.
 */
import { execFile } from 'node:child_process';
import { chinaDate, chinaMidnight } from '../../emulator/wechat/bills/ledger';
import { LOCAL_STAFF_OPENID } from '../../scripts/local/staff';
import { paidOrder, refund, refundSettled, STAFF, ALICE } from '../refunds/helpers';
import { harnessPerFile, startHarness, type Harness } from './harness';

jest.setTimeout(120_000);

let h: Harness;
harnessPerFile(async () => (h = await startHarness({ functionTimeoutMs: 30_000, functionEnv: { REFUND_ADMIN_OPENIDS: STAFF, REFUND_RECONCILE_MIN_AGE_SECONDS: '0' } })));

const { LC_ALL: _all, LC_MESSAGES: _messages, ...hostEnv } = process.env;
function localCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--require', require.resolve('tsx/cjs'), 'scripts/local/cli.ts', ...args], { env: { ...hostEnv, LANG: 'en_US.UTF-8', CLOUDBASE_URL: h.stack.cloudbaseUrl } }, (e, stdout, stderr) =>
      resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }));
  });
}

const reconcileBill = (data: object, openid = STAFF): Promise<any> => h.call('reconcileBill', data, openid);
const snapshot = async (): Promise<unknown> => ({
  orders: await h.stack.admin.find('orders'), refunds: await h.stack.admin.find('refunds'), events: await h.stack.admin.find('payment_events'),
});

test('paid, refunded, partly refunded, lost and tampered: healed, flagged, matched; the second run is a no-op', async () => {
  const paid = await paidOrder(h);
  const refunded = await paidOrder(h);
  const full = await refund(h, { outTradeNo: refunded.outTradeNo, reason: 'out of stock' });
  await refundSettled(h, full.refund.outRefundNo);
  const partly = await paidOrder(h, [{ productId: 'coffee', quantity: 3 }]);
  const part = await refund(h, { outTradeNo: partly.outTradeNo, reason: 'one broken', amount: 1800 });
  await refundSettled(h, part.refund.outRefundNo);
  const tampered = await paidOrder(h, [{ productId: 'coffee', quantity: 1 }]);
  await h.sim('POST', '/__sim/ledger/amount', { out_trade_no: tampered.outTradeNo, total: 1700 });

  // The lost one: paid at WeChat Pay, every notification attempt dropped, no timer running.
  await h.sim('POST', '/__sim/faults', { dropNotifications: 1 });
  const lost = await h.call('createOrder', { items: [{ productId: 'coffee', quantity: 1 }] }, ALICE);
  await h.sim('POST', '/__sim/pay', { prepay_id: String(lost.payment.package).replace('prepay_id=', '') });
  const day = chinaDate((await h.sim('GET', '/__sim/clock')).now);
  expect((await h.order(lost.outTradeNo)).status).toBe('NOTPAY');

  // Before 10:00 China time of the next day (on WeChat Pay's clock) the bill is not ready.
  expect((await reconcileBill({ action: 'run', billDate: day })).day).toMatchObject({ billDate: day, status: 'NOT_READY' });
  const clock = await h.sim('GET', '/__sim/clock');
  await h.sim('POST', '/__sim/clock', { advanceSeconds: (chinaMidnight(day) + 34 * 3600_000 + 60_000 - clock.now) / 1000 });

  const { day: result } = await reconcileBill({ action: 'run', billDate: day });
  expect(result).toMatchObject({
    status: 'DISCREPANCIES', healedCount: 1, discrepancyCount: 1, matched: 3 + 2, rows: { payments: 5, refunds: 2 },
    healed: [{ outTradeNo: lost.outTradeNo, from: 'NOTPAY', to: 'SUCCESS', amountFen: 1800 }],
    discrepancies: [expect.objectContaining({ kind: 'AMOUNT_MISMATCH', outTradeNo: tampered.outTradeNo, bill: expect.objectContaining({ amountFen: 1700 }), ours: expect.objectContaining({ amountFen: 1800 }) })],
    bill: { count: 7, grossFen: 3600 * 2 + 5400 + 1700 + 1800, refundFen: 3600 + 1800 },
    ours: { paidCount: 5, grossFen: 3600 * 2 + 5400 + 1800 * 2, refundCount: 2, refundFen: 5400 },
  });
  const healedOrder = await h.order(lost.outTradeNo);
  expect(healedOrder.status).toBe('SUCCESS');
  expect(healedOrder.transitions.at(-1)).toMatchObject({ source: 'bill', to: 'SUCCESS' });
  expect(h.logs.some((l) => l.includes('[ALERT]') && l.includes('bill.discrepancy') && l.includes(tampered.outTradeNo))).toBe(true);

  const before = await snapshot();
  const { day: again } = await reconcileBill({ action: 'run', billDate: day });
  expect(await snapshot()).toEqual(before);
  const same = (d: any) => ({ ...d, runs: 0, startedAt: 0, finishedAt: 0, updatedAt: 0 });
  expect(same(again)).toEqual(same(result));
  expect(again.runs).toBe(result.runs + 1);

  // The staff list and read answers carry the same day.
  expect((await reconcileBill({ action: 'get', billDate: day })).day).toMatchObject({ status: 'DISCREPANCIES', runs: again.runs });
  expect((await reconcileBill({ action: 'list' })).days.map((d: any) => d.billDate)).toContain(day);
  await h.sim('POST', '/__sim/faults', {});

  // The local CLI runs the same day through the same function (npm run local -- bill; npm run bill is its alias).
  const cli = await localCli('bill', day);
  expect(cli.code).toBe(1); // DISCREPANCIES: scripts can branch on it
  expect(cli.out).toContain(`Bill ${day}: DISCREPANCIES — discrepancies need a person`);
  expect(cli.out).toMatch(new RegExp(`AMOUNT_MISMATCH\\s+${tampered.outTradeNo}.*\\[bill ¥17\\.00 .*\\| ours ¥18\\.00`));
  expect(cli.out).toContain(`run ${again.runs + 1} by ${LOCAL_STAFF_OPENID}`);
  const list = await localCli('bill', '--list');
  expect(list.code).toBe(0);
  expect(list.out).toMatch(new RegExp(`${day}\\s+DISCREPANCIES\\s+matched 5, healed 1, discrepancies 1`));
  const bad = await localCli('bill', '2099-01-01');
  expect(bad).toMatchObject({ code: 2, err: expect.stringContaining('INVALID_INPUT: billDate 2099-01-01 is in the future') });
});

test('only staff; a bad date is refused with what to do', async () => {
  expect((await reconcileBill({ action: 'run', billDate: '2026-01-01' }, ALICE)).error).toMatchObject({ code: 'FORBIDDEN', retryable: false });
  const bad = await reconcileBill({ action: 'run', billDate: '2026-02-30' });
  expect(bad.error).toMatchObject({ code: 'INVALID_INPUT' });
  expect(bad.error.message).toMatch(/YYYY-MM-DD/);
  expect((await reconcileBill({ action: 'run', billDate: '2099-01-01' })).error.message).toMatch(/future/);
  expect((await reconcileBill({ action: 'run', billDate: '2020-01-01' })).error.message).toMatch(/3 months/);
});

test('the timer trigger runs the daily decision (yesterday, from 10:30 China time) without a user', async () => {
  const answer = await h.trigger('reconcileBill');
  expect(JSON.stringify(answer)).toMatch(/"billDate":"\d{4}-\d{2}-\d{2}"/);
});
