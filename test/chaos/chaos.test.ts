/**
 * A small fixed-seed chaos run on the real stack (CloudBase emulator in its own process, SIGKILLed
 * and restarted once): every invariant of scripts/chaos/check.ts holds. `npm run chaos` is the big one.
 */
import { runChaos } from '../../scripts/chaos/run';
import { checkInvariants } from '../../scripts/chaos/check';

jest.setTimeout(180_000);

it('30 customers under the full fault mix and one emulator crash: no violation', async () => {
  const report = await runChaos({ orders: 30, seed: 7, concurrency: 16, kills: 1 });
  expect(report.violations).toEqual([]);
  expect(report.kills).toBe(1);
  // The run really exercised the faults it claims.
  expect(report.paid).toBeGreaterThan(0);
  expect(report.closed).toBeGreaterThan(0);
  expect(report.notifications.dropped).toBeGreaterThan(0);
  expect(report.notifications.duplicated).toBeGreaterThan(0);
  expect(report.notifications.probes).toBeGreaterThan(0);
  // Counted where injected, not inferred from the configured rates.
  expect(report.injected.systemError).toBeGreaterThan(0);
  expect(report.injected.frequencyLimited).toBeGreaterThan(0);
  expect(report.injected.latencyAdded).toBeGreaterThan(0);
  expect(report.injected.writeFailures).toBeGreaterThan(0);
});

describe('the checker itself catches what it claims to', () => {
  const base = { customers: [], transitionEvents: new Map([['A', 1]]), acknowledgedNotifications: new Set<string>(), statusAtSettle: new Map<string, string>(), now: Date.now() };
  const paidOrder = { _id: 'A', openid: 'o', status: 'SUCCESS', amount: { total: 100 }, transactionId: 'T1', expiresAt: new Date(0), transitions: [{ from: 'NOTPAY', to: 'SUCCESS', source: 'notify' }] };
  const paidTx = { out_trade_no: 'A', transaction_id: 'T1', trade_state: 'SUCCESS', amount: { total: 100 } };

  it('a consistent pair passes', () => {
    expect(checkInvariants({ ...base, orders: [paidOrder], ledger: [paidTx] }).violations).toEqual([]);
  });
  it.each([
    ['a paid order not SUCCESS here', { ...paidOrder, status: 'NOTPAY', transitions: [] }, paidTx, /paid at WeChat Pay but NOTPAY/],
    ['a wrong transactionId', { ...paidOrder, transactionId: 'T2' }, paidTx, /transactionId T2/],
    ['a differing amount', { ...paidOrder, amount: { total: 99 } }, paidTx, /amount 99 here, 100/],
    ['two transitions', { ...paidOrder, transitions: [paidOrder.transitions[0], { from: 'CLOSED', to: 'SUCCESS', source: 'reconcile' }] }, paidTx, /2 transitions/],
    ['SUCCESS the simulator does not have', paidOrder, { ...paidTx, trade_state: 'NOTPAY' }, /SUCCESS here but WeChat Pay has NOTPAY/],
    ['an expired unpaid order not closed', { ...paidOrder, status: 'PAYERROR', transitions: [] }, { ...paidTx, trade_state: 'PAYERROR' }, /not CLOSED/],
  ])('%s', (_name, order, tx, pattern) => {
    const { violations } = checkInvariants({ ...base, orders: [order], ledger: [tx] });
    expect(violations.join('\n')).toMatch(pattern);
  });
  it('a missing or doubled audit record', () => {
    const none = checkInvariants({ ...base, transitionEvents: new Map(), orders: [paidOrder], ledger: [paidTx] });
    expect(none.violations.join('\n')).toMatch(/0 transition records/);
    const two = checkInvariants({ ...base, transitionEvents: new Map([['A', 2]]), orders: [paidOrder], ledger: [paidTx] });
    expect(two.violations.join('\n')).toMatch(/2 transition records/);
  });
  it('a lost acknowledged write', () => {
    const customers = [{ index: 0, openid: 'o', plan: 'pay' as const, outTradeNo: 'B', amount: 1, payResults: [], sawSuccess: false }];
    expect(checkInvariants({ ...base, customers, orders: [], ledger: [] }).violations.join('\n')).toMatch(/database lost it/);
    const acked = checkInvariants({ ...base, orders: [], ledger: [], acknowledgedNotifications: new Set(['C']) });
    expect(acked.violations.join('\n')).toMatch(/payNotify acknowledged/);
  });
});
