/**
 * The chaos checker's fulfilment and bill invariants catch what they claim to: a consistent end
 * state passes, and each deliberately broken one is reported.
 */
import { checkBillDays, runDays, type BillDayOutcome } from '../../scripts/chaos/bills';
import { checkFulfilment, type FulfilmentCheckInput, type FulfilmentOrder, type PlatformOrderLike } from '../../scripts/chaos/fulfilment-check';
import type { ShipAttempt } from '../../scripts/chaos/fulfilment';

const T1 = '2026-12-01T10:00:00.000+08:00';
const T2 = '2026-12-01T10:05:00.000+08:00';
const settledHistory = [
  { from: 'PENDING', to: 'SHIPPED', source: 'staff' },
  { from: 'SHIPPED', to: 'SETTLED', source: 'push' },
];
const express: FulfilmentOrder = {
  _id: 'E1', status: 'SUCCESS', deliveryKind: 'express',
  fulfilment: { status: 'SETTLED', kind: 'express', uploads: 1, shipments: [{ logisticsType: 1, deliveryMode: 1, uploadTime: T1, parcels: [{ trackingNo: 'YT1' }] }], history: settledHistory, outbox: null, settledAt: new Date() },
};
const virtual: FulfilmentOrder = {
  _id: 'V1', status: 'SUCCESS', deliveryKind: 'virtual',
  fulfilment: { status: 'SETTLED', kind: 'virtual', uploads: 1, shipments: [{ logisticsType: 3, deliveryMode: 1, uploadTime: T1, parcels: [{}] }], history: [{ from: 'PENDING', to: 'SHIPPED', source: 'auto' }, { from: 'SHIPPED', to: 'SETTLED', source: 'poll' }], outbox: null, settledAt: new Date() },
};
const refunded: FulfilmentOrder = { _id: 'R1', status: 'REFUND', deliveryKind: 'express' };
const platform: PlatformOrderLike[] = [
  { out_trade_no: 'E1', state: 4, uploads: 1, shipping: { logistics_type: 1, delivery_mode: 1, upload_time: T1, shipping_list: [{ tracking_no: 'YT1' }] } },
  { out_trade_no: 'V1', state: 4, uploads: 1, shipping: { logistics_type: 3, delivery_mode: 1, upload_time: T1, shipping_list: [{}] } },
];
const attempts: ShipAttempt[] = [
  { outTradeNo: 'E1', plan: 'unified', trackingNos: ['YT1'], answer: 'ok' },
  { outTradeNo: 'R1', plan: 'refunded', trackingNos: ['YT9'], answer: 'refused', wxErrcode: 10060004, expectRefusal: 10060004 },
];
const good: FulfilmentCheckInput = { orders: [express, virtual, refunded], platform, attempts, plans: { E1: 'unified' } };
const withOrder = (o: FulfilmentOrder, p?: PlatformOrderLike): FulfilmentCheckInput => ({
  ...good,
  orders: [o, virtual, refunded],
  platform: p ? [p, platform[1]] : platform,
});
const f = express.fulfilment!;

test('a consistent end state passes (express and virtual settled, the refunded order refused and never shipped)', () => {
  expect(checkFulfilment(good)).toEqual([]);
});

test.each<[string, FulfilmentCheckInput, RegExp]>([
  ['a paid order left SHIPPED while the platform settled it', withOrder({ ...express, fulfilment: { ...f, status: 'SHIPPED', history: settledHistory.slice(0, 1) } }), /E1: paid \(express\) but fulfilment SHIPPED at the end, expected SETTLED[\s\S]*order_state 4/],
  ['an upload still owed', withOrder({ ...express, fulfilment: { ...f, outbox: { id: 'x' } } }), /E1: an upload is still owed/],
  ['the platform saw two uploads of one shipment', withOrder(express, { ...platform[0], uploads: 2 }), /the platform counted 2 upload\(s\), we recorded 1/],
  ['virtual goods delivered twice', { ...good, orders: [express, { ...virtual, fulfilment: { ...virtual.fulfilment!, uploads: 2, shipments: [...virtual.fulfilment!.shipments, virtual.fulfilment!.shipments[0]], history: [virtual.fulfilment!.history[0], { from: 'SHIPPED', to: 'SHIPPED', source: 'auto' }, virtual.fulfilment!.history[1]] } }, refunded], platform: [platform[0], { ...platform[1], uploads: 2 }] }, /V1: virtual goods recorded delivered 2 times/],
  ['a refunded order shipped on the platform', { ...good, platform: [...platform, { out_trade_no: 'R1', state: 2, uploads: 1, shipping: platform[0].shipping }] }, /R1: REFUND .* but the platform has a shipment/],
  ['the platform holds another record than our last shipment', withOrder(express, { ...platform[0], shipping: { ...platform[0].shipping!, upload_time: T2, shipping_list: [{ tracking_no: 'YT2' }] } }), /E1: the platform's record .* is not our last shipment[\s\S]*staff were last told YT1 was recorded, the platform has YT2/],
  ['settled twice in the history', withOrder({ ...express, fulfilment: { ...f, history: [...settledHistory, { from: 'SETTLED', to: 'SETTLED', source: 'push' }] } }), /2 steps to SETTLED/],
  ['a step that skips the chain', withOrder({ ...express, fulfilment: { ...f, history: [settledHistory[0], { from: 'CONFIRMED', to: 'SETTLED', source: 'poll' }] } }), /history step 1 goes CONFIRMED→SETTLED, but the fulfilment was SHIPPED/],
  ['settled on staff\'s word', withOrder({ ...express, fulfilment: { ...f, history: [settledHistory[0], { from: 'SHIPPED', to: 'SETTLED', source: 'staff' }] } }), /SETTLED by staff: only the platform's word/],
  ['a backwards step that is not a refusal', withOrder({ ...express, fulfilment: { ...f, history: [...settledHistory, { from: 'SETTLED', to: 'SHIPPED', source: 'poll' }, { from: 'SHIPPED', to: 'SETTLED', source: 'poll' }] } }), /SETTLED→SHIPPED \(poll\) is not a step the transition function takes/],
  ['a second re-shipment allowed', { ...good, plans: { E1: 'reship' }, attempts: [...attempts, { outTradeNo: 'E1', plan: 'reship', trackingNos: ['YT5'], answer: 'ok', expectRefusal: 10060003 }] }, /E1: staff's reship shipment should be refused 10060003, was ok[\s\S]*reship plan, the platform counted 1 upload\(s\), expected 2/],
  ['a shipment staff were never answered', { ...good, attempts: [...attempts, { outTradeNo: 'E1', plan: 'unified', trackingNos: ['YT1'], answer: 'gaveUp', reason: 'errCode -1' }] }, /E1: staff's unified shipment ended gaveUp/],
  ['the phase stopped with work left', { ...good, unfinished: 'settlement: 60 timer ticks were not enough, not settled: 1 orders' }, /fulfilment did not converge: settlement/],
])('%s is reported', (_name, input, pattern) => {
  expect(checkFulfilment(input).join('\n')).toMatch(pattern);
});

describe('bills after the run', () => {
  const day = (status: string, discrepancies: BillDayOutcome['discrepancies'] = []): BillDayOutcome => ({ billDate: '2026-12-01', status, runs: 1, matched: 3, healed: 0, discrepancies, failedRuns: 0, failures: [], accepted: [] });
  it('MATCHED and HEALED days pass; NO_STATEMENT only for a day without payments', () => {
    expect(checkBillDays([day('MATCHED'), { ...day('HEALED'), billDate: '2026-12-02' }], new Set(['2026-12-01', '2026-12-02']))).toEqual([]);
    expect(checkBillDays([day('NO_STATEMENT')], new Set())).toEqual([]);
    expect(checkBillDays([day('NO_STATEMENT')], new Set(['2026-12-01']))).toEqual(['bill 2026-12-01: NO_STATEMENT after 1 run(s), expected MATCHED or HEALED']);
  });
  it('a discrepancy, or a day that never became final, is reported', () => {
    const v = checkBillDays([day('DISCREPANCIES', [{ kind: 'AMOUNT_MISMATCH', outTradeNo: 'E1', detail: 'bill 100, ours 99' }]), { ...day('FAILED'), billDate: '2026-12-02', runs: 12 }], new Set());
    expect(v.join('\n')).toMatch(/bill 2026-12-01: unexplained AMOUNT_MISMATCH E1: bill 100, ours 99/);
    expect(v.join('\n')).toMatch(/bill 2026-12-02: FAILED after 12 run\(s\)/);
  });
  it('a FAILED run is fine when an injected fault explains it; a bad file accepted, or an unexplained failure, is reported', () => {
    const explained = { ...day('MATCHED'), runs: 4, failedRuns: 3, failures: [{ code: 'BILL_HASH_MISMATCH', injected: 'corruptBill' as const }, { code: 'SYSTEM_ERROR', injected: 'truncateBill' as const }, { code: 'FREQUENCY_LIMITED' }] };
    expect(checkBillDays([explained], new Set())).toEqual([]);
    expect(checkBillDays([{ ...day('MATCHED'), accepted: ['corruptBill'] }], new Set()).join('\n')).toMatch(/a run with corruptBill injected ended MATCHED, expected FAILED BILL_HASH_MISMATCH/);
    expect(checkBillDays([{ ...day('MATCHED'), failures: [{ code: 'BILL_MALFORMED' }] }], new Set()).join('\n')).toMatch(/FAILED with BILL_MALFORMED, which no injected fault explains/);
    expect(checkBillDays([{ ...day('MATCHED'), failures: [{ code: 'BILL_MALFORMED', injected: 'truncateBill' }] }], new Set()).join('\n')).toMatch(/while truncateBill was injected \(expected BILL_TRUNCATED\)/);
  });
  it('the run\'s days are the China dates of its payments plus the simulator\'s today', () => {
    expect(runDays(['2026-11-30T23:30:00+08:00', '2026-12-01T00:10:00+08:00', null], Date.parse('2026-12-01T09:00:00+08:00'))).toEqual(['2026-11-30', '2026-12-01']);
  });
});
