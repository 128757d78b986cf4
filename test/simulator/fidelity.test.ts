// What the real service does that a simulator written from the same notes as our client could get
// wrong together with it (notes/wechatpay-v3.md "Shapes seen in real responses", byte limits, refund
// spacing): errors unsigned, the NOTPAY shape, UTF-8 byte counting, one minute between refunds.
import type { WechatSimulator } from '../../emulator/wechat';
import { control, prepayBody, signedRequest, startSim, verifyResponse, type RawResponse } from './helpers';

let sim: WechatSimulator;
beforeAll(async () => {
  sim = await startSim({ timeScale: 1000, refundDelaySeconds: 1000 });
});
afterAll(() => sim.close());
beforeEach(() => sim.state.reset());

const JSAPI = '/v3/pay/transactions/jsapi';
const prepay = (no: string, extra: Record<string, unknown> = {}) => signedRequest(sim, 'POST', JSAPI, prepayBody(sim, no, extra));
const query = (no: string) => signedRequest(sim, 'GET', `/v3/pay/transactions/out-trade-no/${no}?mchid=${sim.credentials.mchid}`);
const wechatpayHeaders = (r: RawResponse) => Object.keys(r.headers).filter((h) => h.startsWith('wechatpay-'));
const refundBody = (no: string, outRefundNo: string, extra: Record<string, unknown> = {}) => ({
  out_trade_no: no, out_refund_no: outRefundNo, amount: { refund: 10, total: 100, currency: 'CNY' }, ...extra,
});
const REFUNDS = '/v3/refund/domestic/refunds';

async function paid(no: string): Promise<void> {
  const { prepay_id } = (await prepay(no)).json;
  expect((await control(sim, 'POST', '/pay', { prepay_id })).json.trade_state).toBe('SUCCESS');
}

describe('errors carry no Wechatpay-* signature headers; 2xx do', () => {
  it('400, 401, 404, injected 500 and 429 are unsigned; a 200 is signed', async () => {
    const answers = [
      await prepay('BAD#NO'),
      await signedRequest(sim, 'GET', `/v3/pay/transactions/out-trade-no/NOSUCH001?mchid=${sim.credentials.mchid}`, undefined, { serialNo: 'ABCDEF0123456789' }),
      await query('NOSUCH0001'),
    ];
    await control(sim, 'POST', '/faults', { systemErrorRate: 1 });
    answers.push(await query('NOSUCH0001'));
    await control(sim, 'POST', '/faults', { frequencyLimitRate: 1 });
    answers.push(await query('NOSUCH0001'));
    await control(sim, 'POST', '/faults', {});
    expect(answers.map((r) => [r.status, r.json.code])).toEqual([[400, 'PARAM_ERROR'], [401, 'SIGN_ERROR'], [404, 'ORDER_NOT_EXIST'], [500, 'SYSTEM_ERROR'], [429, 'FREQUENCY_LIMITED']]);
    for (const r of answers) expect(wechatpayHeaders(r)).toEqual([]);
    const ok = await prepay('SIGNED_0001');
    expect(ok.status).toBe(200);
    expect(wechatpayHeaders(ok).sort()).toEqual(['wechatpay-nonce', 'wechatpay-serial', 'wechatpay-signature', 'wechatpay-signature-type', 'wechatpay-timestamp']);
    expect(() => verifyResponse(sim, ok)).not.toThrow();
  });
});

describe('query answer shapes', () => {
  it('NOTPAY has the smaller real shape: no payer, trade_type, success_time, bank_type; amount {payer_currency, total}', async () => {
    await prepay('SHAPE_00001');
    const r = await query('SHAPE_00001');
    expect(r.json).toEqual({
      appid: sim.credentials.appid, mchid: sim.credentials.mchid, out_trade_no: 'SHAPE_00001',
      trade_state: 'NOTPAY', trade_state_desc: '订单未支付', amount: { payer_currency: 'CNY', total: 100 },
    });
  });

  it('SUCCESS has the full set', async () => {
    await paid('SHAPE_00002');
    const r = await query('SHAPE_00002');
    expect(Object.keys(r.json).sort()).toEqual(['amount', 'appid', 'bank_type', 'mchid', 'out_trade_no', 'payer', 'promotion_detail', 'success_time', 'trade_state', 'trade_state_desc', 'trade_type', 'transaction_id']);
    expect(r.json).toMatchObject({ trade_type: 'JSAPI', payer: { openid: 'o-test-openid' }, amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' } });
  });
});

describe('text limits are bytes of UTF-8, refused with the real PARAM_ERROR shape', () => {
  const tea = '茶'; // 3 bytes
  it('description: 127 bytes pass, 128 do not — counted in bytes, not characters', async () => {
    expect((await prepay('BYTES_00001', { description: tea.repeat(42) + 'a' })).status).toBe(200); // 127 bytes, 43 characters
    const r = await prepay('BYTES_00002', { description: tea.repeat(43) }); // 43 characters, 129 bytes
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      code: 'PARAM_ERROR',
      message: '输入源“/body/description”映射到值字段“商品描述”字符串规则校验失败，字节数 129，大于最大值 127',
      detail: { location: 'body', value: tea.repeat(43) },
    });
    expect(sim.state.orders.has(`${sim.credentials.mchid}:BYTES_00002`)).toBe(false);
  });

  it('attach: 128 bytes pass, 129 do not', async () => {
    expect((await prepay('BYTES_00003', { attach: tea.repeat(42) + 'ab' })).status).toBe(200);
    const r = await prepay('BYTES_00004', { attach: tea.repeat(43) });
    expect([r.status, r.json.code, r.json.detail.location]).toEqual([400, 'PARAM_ERROR', 'body']);
    expect(r.json.message).toContain('/body/attach');
  });

  it('refund reason: 80 bytes pass, 81 do not', async () => {
    await paid('BYTES_00005');
    const bad = await signedRequest(sim, 'POST', REFUNDS, refundBody('BYTES_00005', 'RB1', { reason: tea.repeat(27) }));
    expect([bad.status, bad.json.code]).toEqual([400, 'PARAM_ERROR']);
    expect(bad.json.message).toBe('输入源“/body/reason”映射到值字段“退款原因”字符串规则校验失败，字节数 81，大于最大值 80');
    const good = await signedRequest(sim, 'POST', REFUNDS, refundBody('BYTES_00005', 'RB2', { reason: tea.repeat(26) + 'ab' }));
    expect(good.status).toBe(200);
  });
});

describe('refund spacing: two refunds of one order at least a minute apart', () => {
  it('a second refund within 60 s is refused 429 FREQUENCY_LIMITED (unsigned, nothing changed); the retry of the first is not', async () => {
    await paid('SPACE_00001');
    expect((await signedRequest(sim, 'POST', REFUNDS, refundBody('SPACE_00001', 'RS1'))).status).toBe(200);
    await control(sim, 'POST', '/clock', { advanceSeconds: 59 });
    const second = await signedRequest(sim, 'POST', REFUNDS, refundBody('SPACE_00001', 'RS2'));
    expect([second.status, second.json.code]).toEqual([429, 'FREQUENCY_LIMITED']);
    expect(wechatpayHeaders(second)).toEqual([]);
    expect(sim.state.refunds.has(`${sim.credentials.mchid}:RS2`)).toBe(false);
    // Re-sending the first refund (same out_refund_no, same parameters) is a retry, answered as before.
    const retry = await signedRequest(sim, 'POST', REFUNDS, refundBody('SPACE_00001', 'RS1'));
    expect([retry.status, retry.json.out_refund_no]).toEqual([200, 'RS1']);
    // Another order is not held back.
    await paid('SPACE_00002');
    expect((await signedRequest(sim, 'POST', REFUNDS, refundBody('SPACE_00002', 'RS3'))).status).toBe(200);
    await control(sim, 'POST', '/clock', { advanceSeconds: 1 });
    const later = await signedRequest(sim, 'POST', REFUNDS, refundBody('SPACE_00001', 'RS2'));
    expect([later.status, later.json.status]).toEqual([200, 'PROCESSING']);
  });
});
