// Request validation and the order/refund lifecycle, through raw signed requests.
import type { WechatSimulator } from '../../emulator/wechat';
import { control, prepayBody, signedRequest, startSim, verifyResponse } from './helpers';
import { refundsFinished } from '../support/refunds-finished';

let sim: WechatSimulator;
beforeAll(async () => {
  sim = await startSim({ timeScale: 1000 });
});
afterAll(() => sim.close());
beforeEach(() => sim.state.reset());

const JSAPI = '/v3/pay/transactions/jsapi';
const prepay = (no: string, extra: Record<string, unknown> = {}) => signedRequest(sim, 'POST', JSAPI, prepayBody(sim, no, extra));
const query = (no: string) => signedRequest(sim, 'GET', `/v3/pay/transactions/out-trade-no/${no}?mchid=${sim.credentials.mchid}`);

describe('JSAPI prepay validation', () => {
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ['out_trade_no too short', { out_trade_no: 'abc' }, 'PARAM_ERROR', 'out_trade_no'],
    ['out_trade_no with a bad character', { out_trade_no: 'ORDER#000001' }, 'PARAM_ERROR', 'out_trade_no'],
    ['out_trade_no longer than 32', { out_trade_no: 'A'.repeat(33) }, 'PARAM_ERROR', 'out_trade_no'],
    ['amount.total 0', { amount: { total: 0, currency: 'CNY' } }, 'PARAM_ERROR', 'amount.total'],
    ['amount.total in yuan (1.5)', { amount: { total: 1.5 } }, 'PARAM_ERROR', 'amount.total'],
    ['amount.total as a string', { amount: { total: '100' } }, 'PARAM_ERROR', 'amount.total'],
    ['currency USD', { amount: { total: 1, currency: 'USD' } }, 'PARAM_ERROR', 'amount.currency'],
    ['http notify_url', { notify_url: 'http://notify.local.test/pay' }, 'PARAM_ERROR', 'notify_url'],
    ['notify_url with a query', { notify_url: 'https://notify.local.test/pay?x=1' }, 'PARAM_ERROR', 'notify_url'],
    ['description of 128 characters', { description: 'd'.repeat(128) }, 'PARAM_ERROR', 'description'],
    ['missing payer', { payer: undefined }, 'PARAM_ERROR', 'payer'],
    ['missing description', { description: undefined }, 'PARAM_ERROR', 'description'],
    ['time_expire without offset', { time_expire: '2030-01-01T00:00:00' }, 'PARAM_ERROR', 'time_expire'],
    ['time_expire in the past', { time_expire: '2001-01-01T00:00:00+08:00' }, 'INVALID_REQUEST', ''],
    ['appid not bound to the mchid', { appid: 'wx0000000000000000' }, 'APPID_MCHID_NOT_MATCH', ''],
    ['mchid different from Authorization', { mchid: '1900000000' }, 'PARAM_ERROR', 'mchid'],
  ];
  test.each(cases)('%s → %#', async (_name, patch, code, field) => {
    const r = await prepay('VALID_00001', patch);
    expect(r.status).toBe(400);
    expect(r.json.code).toBe(code);
    if (field) expect(r.json.message).toContain(field);
    if (r.json.code === 'PARAM_ERROR') expect(r.json.detail).toMatchObject({ location: 'body' });
    expect(sim.state.orders.size).toBe(0);
  });

  test('a body that is not JSON, or sent without a JSON content type, is refused and changes nothing', async () => {
    expect((await signedRequest(sim, 'POST', JSAPI, '{not json')).json.code).toBe('PARAM_ERROR');
    const r = await signedRequest(sim, 'POST', JSAPI, JSON.stringify(prepayBody(sim, 'CTYPE_0001')), { contentType: 'text/plain' });
    expect([r.status, r.json.code]).toEqual([400, 'INVALID_REQUEST']);
    expect(sim.state.orders.size).toBe(0);
  });
});

describe('order lifecycle', () => {
  test('prepay → NOTPAY; same request again → same prepay_id; different parameters → 403 OUT_TRADE_NO_USED', async () => {
    const first = await prepay('LIFE_000001');
    expect((await prepay('LIFE_000001')).json.prepay_id).toBe(first.json.prepay_id);
    const changed = await prepay('LIFE_000001', { amount: { total: 101, currency: 'CNY' } });
    expect([changed.status, changed.json.code]).toEqual([403, 'OUT_TRADE_NO_USED']);
    const q = await query('LIFE_000001');
    expect(q.status).toBe(200);
    expect(q.json).toMatchObject({ trade_state: 'NOTPAY', out_trade_no: 'LIFE_000001', amount: { total: 100 } });
    expect(q.json.transaction_id).toBeUndefined();
    expect(() => verifyResponse(sim, q)).not.toThrow();
  });

  test('pay SUCCESS → query by out_trade_no and by transaction_id; paying twice or re-ordering is refused', async () => {
    const { prepay_id } = (await prepay('LIFE_000002', { attach: 'a1' })).json;
    const paid = await control(sim, 'POST', '/pay', { prepay_id });
    expect(paid.json).toMatchObject({ errMsg: 'requestPayment:ok', trade_state: 'SUCCESS' });
    const q = (await query('LIFE_000002')).json;
    expect(q).toMatchObject({ trade_state: 'SUCCESS', attach: 'a1', amount: { total: 100, payer_total: 100, currency: 'CNY' }, payer: { openid: 'o-test-openid' } });
    expect(q.transaction_id).toMatch(/^4200\d{24}$/);
    expect(q.success_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    const byId = await signedRequest(sim, 'GET', `/v3/pay/transactions/id/${q.transaction_id}?mchid=${sim.credentials.mchid}`);
    expect(byId.json.out_trade_no).toBe('LIFE_000002');
    expect((await control(sim, 'POST', '/pay', { prepay_id })).json.code).toBe('ORDER_NOT_PAYABLE');
    expect((await prepay('LIFE_000002', { attach: 'a1' })).json.code).toBe('ORDERPAID');
    const close = await signedRequest(sim, 'POST', '/v3/pay/transactions/out-trade-no/LIFE_000002/close', { mchid: sim.credentials.mchid });
    expect([close.status, close.json.code]).toEqual([400, 'ORDERPAID']);
  });

  test('FAIL and CANCEL leave a JSAPI order NOTPAY and payable; PAYERROR (micropay-only) is refused', async () => {
    const { prepay_id } = (await prepay('LIFE_000003')).json;
    expect((await control(sim, 'POST', '/pay', { prepay_id, result: 'CANCEL' })).json).toMatchObject({ errMsg: 'requestPayment:fail cancel', trade_state: 'NOTPAY' });
    expect((await control(sim, 'POST', '/pay', { prepay_id, result: 'FAIL' })).json).toMatchObject({ errMsg: 'requestPayment:fail payment failed', trade_state: 'NOTPAY' });
    const payerror = await control(sim, 'POST', '/pay', { prepay_id, result: 'PAYERROR' });
    expect([payerror.status, payerror.json.code]).toEqual([400, 'PARAM_ERROR']);
    expect((await query('LIFE_000003')).json.trade_state).toBe('NOTPAY');
    expect((await control(sim, 'POST', '/pay', { prepay_id })).json.trade_state).toBe('SUCCESS');
  });

  test('close → 204 (signed, empty body), CLOSED; closing again is idempotent; a closed order cannot be paid or re-ordered', async () => {
    const { prepay_id } = (await prepay('LIFE_000004')).json;
    const close = () => signedRequest(sim, 'POST', '/v3/pay/transactions/out-trade-no/LIFE_000004/close', { mchid: sim.credentials.mchid });
    const r = await close();
    expect([r.status, r.text]).toEqual([204, '']);
    expect(() => verifyResponse(sim, r)).not.toThrow();
    expect((await close()).status).toBe(204);
    expect((await query('LIFE_000004')).json.trade_state).toBe('CLOSED');
    expect((await control(sim, 'POST', '/pay', { prepay_id })).json.code).toBe('ORDER_NOT_PAYABLE');
    expect((await prepay('LIFE_000004')).json.code).toBe('ORDER_CLOSED');
  });

  test('unknown orders: 404 ORDER_NOT_EXIST; query without mchid: PARAM_ERROR', async () => {
    const r = await query('NOPE_000001');
    expect([r.status, r.json.code]).toEqual([404, 'ORDER_NOT_EXIST']);
    expect((await signedRequest(sim, 'GET', `/v3/pay/transactions/id/4200000000000000000000000000?mchid=${sim.credentials.mchid}`)).json.code).toBe('ORDER_NOT_EXIST');
    expect((await signedRequest(sim, 'POST', '/v3/pay/transactions/out-trade-no/NOPE_000001/close', { mchid: sim.credentials.mchid })).status).toBe(404);
    expect((await signedRequest(sim, 'GET', '/v3/pay/transactions/out-trade-no/NOPE_000001')).json.code).toBe('PARAM_ERROR');
  });

  test('a prepay_id expires after 2 h of business time; the same request then gets a fresh one', async () => {
    const { prepay_id } = (await prepay('LIFE_000005')).json;
    await control(sim, 'POST', '/clock', { advanceSeconds: 2 * 3600 });
    expect((await control(sim, 'POST', '/pay', { prepay_id })).json.code).toBe('PREPAY_EXPIRED');
    const again = (await prepay('LIFE_000005')).json.prepay_id;
    expect(again).not.toBe(prepay_id);
    expect((await control(sim, 'POST', '/pay', { prepay_id: again })).json.errMsg).toBe('requestPayment:ok');
  });

  test('time_expire is honoured: after it the order cannot be paid', async () => {
    const expire = new Date(Date.now() + 600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const { prepay_id } = (await prepay('LIFE_000006', { time_expire: expire })).json;
    await control(sim, 'POST', '/clock', { advanceSeconds: 601 });
    expect((await control(sim, 'POST', '/pay', { prepay_id })).json.code).toBe('ORDER_EXPIRED');
    expect((await query('LIFE_000006')).json.trade_state).toBe('NOTPAY');
  });

  test('POST /__sim/pay verifies a paySign when given one', async () => {
    const { buildPaymentParams } = await import('../../lib/wechatpay');
    const { prepay_id } = (await prepay('LIFE_000007')).json;
    const c = sim.credentials;
    const good = buildPaymentParams({ appId: c.appid, prepayId: prepay_id, privateKey: c.merchant.privateKey });
    const wrongApp = buildPaymentParams({ appId: 'wx0000000000000000', prepayId: prepay_id, privateKey: c.merchant.privateKey });
    expect((await control(sim, 'POST', '/pay', wrongApp)).json.code).toBe('PAY_SIGN_INVALID');
    expect((await control(sim, 'POST', '/pay', { ...good, timeStamp: Number(good.timeStamp) })).json.code).toBe('PAY_SIGN_INVALID');
    expect((await control(sim, 'POST', '/pay', good)).json.errMsg).toBe('requestPayment:ok');
  });
});

describe('refunds', () => {
  const refund = (body: Record<string, unknown>) => signedRequest(sim, 'POST', '/v3/refund/domestic/refunds', body);
  async function paidOrder(no: string): Promise<string> {
    const { prepay_id } = (await prepay(no)).json;
    return (await control(sim, 'POST', '/pay', { prepay_id })).json.transaction_id;
  }

  test('partial refunds: PROCESSING then SUCCESS; REFUND state; over-refund and mismatched total refused; same out_refund_no is idempotent', async () => {
    const txn = await paidOrder('REF_0000001');
    const body = { out_trade_no: 'REF_0000001', out_refund_no: 'R1@x', amount: { refund: 60, total: 100, currency: 'CNY' } };
    const r1 = await refund(body);
    expect(r1.status).toBe(200);
    expect(r1.json).toMatchObject({ status: 'PROCESSING', out_refund_no: 'R1@x', transaction_id: txn, amount: { refund: 60, total: 100 } });
    expect((await refund(body)).json.refund_id).toBe(r1.json.refund_id);
    expect((await refund({ ...body, amount: { refund: 61, total: 100 } })).json.code).toBe('INVALID_REQUEST');
    const over = await refund({ transaction_id: txn, out_refund_no: 'R2', amount: { refund: 41, total: 100, currency: 'CNY' } });
    expect([over.status, over.json.code]).toEqual([400, 'INVALID_REQUEST']);
    expect((await refund({ transaction_id: txn, out_refund_no: 'R3', amount: { refund: 10, total: 99 } })).json.code).toBe('PARAM_ERROR');
    expect((await query('REF_0000001')).json.trade_state).toBe('REFUND');
    await refundsFinished(sim.state); // 5 s of processing / timeScale 1000
    const q = await signedRequest(sim, 'GET', '/v3/refund/domestic/refunds/R1@x');
    expect(q.json).toMatchObject({ status: 'SUCCESS', refund_id: r1.json.refund_id });
    expect(q.json.success_time).toMatch(/\+08:00$/);
  });

  test('refunding an unpaid or unknown order, and querying an unknown refund', async () => {
    await prepay('REF_0000002');
    expect((await refund({ out_trade_no: 'REF_0000002', out_refund_no: 'R9', amount: { refund: 1, total: 100 } })).json.code).toBe('TRADE_ERROR');
    expect((await refund({ out_trade_no: 'NOPE_000001', out_refund_no: 'R9', amount: { refund: 1, total: 100 } })).status).toBe(404);
    expect((await refund({ out_refund_no: 'R9', amount: { refund: 1, total: 100 } })).json.code).toBe('PARAM_ERROR');
    const q = await signedRequest(sim, 'GET', '/v3/refund/domestic/refunds/NOPE');
    expect([q.status, q.json.code]).toEqual([404, 'RESOURCE_NOT_EXISTS']);
  });

  test('the refundOutcome fault ends a refund ABNORMAL', async () => {
    await paidOrder('REF_0000003');
    await control(sim, 'POST', '/faults', { refundOutcome: 'ABNORMAL' });
    await refund({ out_trade_no: 'REF_0000003', out_refund_no: 'R4', amount: { refund: 100, total: 100 } });
    await refundsFinished(sim.state);
    expect((await signedRequest(sim, 'GET', '/v3/refund/domestic/refunds/R4')).json.status).toBe('ABNORMAL');
  });
});

describe('API faults and the ledger', () => {
  test('systemErrorRate 1 → 500 SYSTEM_ERROR, frequencyLimitRate 1 → 429, nothing created; {} clears', async () => {
    await control(sim, 'POST', '/faults', { systemErrorRate: 1 });
    const r = await prepay('FAULT_00001');
    expect([r.status, r.json.code]).toEqual([500, 'SYSTEM_ERROR']);
    await control(sim, 'POST', '/faults', { frequencyLimitRate: 1 });
    expect((await prepay('FAULT_00001')).status).toBe(429);
    expect(sim.state.orders.size).toBe(0);
    await control(sim, 'POST', '/faults', {});
    expect((await prepay('FAULT_00001')).status).toBe(200);
  });

  test('fault injection is reproducible with a seed', async () => {
    const run = async (): Promise<number[]> => {
      await control(sim, 'POST', '/faults', { systemErrorRate: 0.5, seed: 7 });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await query('NOPE_000001')).status);
      return out;
    };
    const a = await run();
    expect(await run()).toEqual(a);
    expect(a).toContain(500);
    expect(a).toContain(404);
  });

  test('bad fault settings are refused with a clear message', async () => {
    const r = await control(sim, 'POST', '/faults', { dropNotification: 1 });
    expect([r.status, r.json.code]).toEqual([400, 'PARAM_ERROR']);
    expect(r.json.message).toMatch(/unknown fault "dropNotification"/);
    expect((await control(sim, 'POST', '/faults', { dropNotifications: 2 })).status).toBe(400);
  });

  test('GET /__sim/transactions lists every order with state, id, amount and success_time', async () => {
    const { prepay_id } = (await prepay('LEDGER_0001')).json;
    await prepay('LEDGER_0002');
    await control(sim, 'POST', '/pay', { prepay_id });
    const list = (await control(sim, 'GET', '/transactions')).json.transactions;
    expect(list).toHaveLength(2);
    const paid = list.find((t: any) => t.out_trade_no === 'LEDGER_0001');
    expect(paid).toMatchObject({ trade_state: 'SUCCESS', amount: { total: 100, currency: 'CNY' } });
    expect(paid.transaction_id).toMatch(/^4200/);
    expect(list.find((t: any) => t.out_trade_no === 'LEDGER_0002')).toMatchObject({ trade_state: 'NOTPAY', transaction_id: null, success_time: null });
  });

  test('unknown paths and methods', async () => {
    expect((await signedRequest(sim, 'GET', '/v3/nope')).status).toBe(404);
    expect((await signedRequest(sim, 'DELETE', JSAPI)).status).toBe(405);
  });
});
