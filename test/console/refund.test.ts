// The console's Refund action over real HTTP against the real stack: refundOrder reached through
// POST /functions/refundOrder as the stack's documented staff openid, the function's refusals
// relayed with their codes, bad input refused before anything is sent.
import { LOCAL_STAFF_OPENID, withLocalStaff } from '../../scripts/local/staff';
import { CONSOLE_STAFF, consoleApi, consolePerFile, finishRefunds, type ConsoleFixture } from './stack';

let fx: ConsoleFixture;
jest.setTimeout(45_000);
consolePerFile((f) => void (fx = f));

const api = (method: 'GET' | 'POST', path: string, body?: unknown) => consoleApi(fx.console.url, method, path, body);

/** A tea order (¥12.00 = 1200 fen) paid through the console, its notification applied. */
async function paidOrder(openid: string): Promise<string> {
  const created = await api('POST', '/api/functions/createOrder', { openid, data: { items: [{ productId: 'tea', quantity: 1 }] } });
  const no = created.body.result.outTradeNo as string;
  expect((await api('POST', '/api/pay', { outTradeNo: no })).body).toMatchObject({ errMsg: 'requestPayment:ok', trade_state: 'SUCCESS' });
  await fx.harness.waitFor('order SUCCESS', async () => (await fx.harness.order(no))?.status === 'SUCCESS');
  return no;
}

const refundsOf = async (no: string): Promise<any[]> =>
  (await api('GET', '/api/collections/refunds')).body.docs.filter((d: any) => d.outTradeNo === no);

test('the local stack allowlists its staff openid next to any configured ones, and the console knows it', async () => {
  expect((await api('GET', '/api/info')).body.staffOpenid).toBe(LOCAL_STAFF_OPENID);
  expect(fx.harness.stack.staffOpenid).toBe(LOCAL_STAFF_OPENID);
  expect(fx.harness.stack.functionEnv.REFUND_ADMIN_OPENIDS.split(',')).toEqual([CONSOLE_STAFF, LOCAL_STAFF_OPENID]);
  expect(withLocalStaff({}).REFUND_ADMIN_OPENIDS).toBe(LOCAL_STAFF_OPENID);
  expect(withLocalStaff({ REFUND_ADMIN_OPENIDS: ' ' }).REFUND_ADMIN_OPENIDS).toBe(LOCAL_STAFF_OPENID);
  expect(withLocalStaff({ REFUND_ADMIN_OPENIDS: `oA000001, ${LOCAL_STAFF_OPENID}` }).REFUND_ADMIN_OPENIDS).toBe(`oA000001, ${LOCAL_STAFF_OPENID}`);
});

test('a full refund: the function answers PROCESSING, the refund is in the refunds collection, then SUCCESS and the order REFUND', async () => {
  const no = await paidOrder('o-refund-1');
  const r = await api('POST', '/api/refund', { outTradeNo: no });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ replayed: false, refund: { outTradeNo: no, amount: 1200, status: 'PROCESSING', reason: 'Refunded from the local console' } });
  const refundNo = r.body.refund.outRefundNo as string;
  const [doc] = await refundsOf(no);
  expect(doc).toMatchObject({ _id: refundNo, amount: 1200, requestedBy: LOCAL_STAFF_OPENID });
  // The simulator finishes refunds 5 s later (real time) and notifies: the clock moves on by those 5 s.
  await finishRefunds(fx);
  await fx.harness.waitFor('refund SUCCESS', async () => (await refundsOf(no))[0]?.status === 'SUCCESS', 20_000);
  await fx.harness.waitFor('order REFUND', async () => (await fx.harness.order(no)).status === 'REFUND', 20_000);
  expect((await api('GET', `/api/orders/${no}`)).body.refunds).toEqual([expect.objectContaining({ _id: refundNo, status: 'SUCCESS' })]);
});

test('partial refunds with a reason; an over-refund is refused with the function\'s code and changes nothing', async () => {
  const no = await paidOrder('o-refund-2');
  const first = await api('POST', '/api/refund', { outTradeNo: no, amount: 500, reason: '  一杯茶洒了 ' });
  expect(first.status).toBe(200);
  expect(first.body.refund).toMatchObject({ amount: 500, reason: '一杯茶洒了', status: 'PROCESSING' });
  const over = await api('POST', '/api/refund', { outTradeNo: no, amount: 701 });
  expect(over.status).toBe(409);
  expect(over.body.error).toEqual({ code: 'REFUND_NOT_ALLOWED', message: expect.any(String), retryable: false });
  expect(await refundsOf(no)).toHaveLength(1);
  const rest = await api('POST', '/api/refund', { outTradeNo: no, amount: 700 });
  expect(rest.status).toBe(200);
  expect(rest.body.refund).toMatchObject({ amount: 700 });
  expect((await refundsOf(no)).map((d) => d.amount).sort()).toEqual([500, 700]);
  const after = await api('POST', '/api/refund', { outTradeNo: no, amount: 1 });
  expect([after.status, after.body.error.code]).toEqual([409, 'REFUND_NOT_ALLOWED']);
});

test('bad input is a 400 before anything is sent; the function\'s own refusals keep their codes', async () => {
  const no = await paidOrder('o-refund-3');
  const bad: Array<[unknown, RegExp]> = [
    [{}, /outTradeNo/],
    [{ outTradeNo: 42 }, /outTradeNo/],
    [{ outTradeNo: no, amount: 0 }, /amount/],
    [{ outTradeNo: no, amount: -100 }, /amount/],
    [{ outTradeNo: no, amount: 1.5 }, /amount/],
    [{ outTradeNo: no, amount: '100' }, /amount/],
    [{ outTradeNo: no, reason: 'x'.repeat(81) }, /reason.*80/],
    [{ outTradeNo: no, reason: 7 }, /reason/],
  ];
  for (const [body, message] of bad) {
    const r = await api('POST', '/api/refund', body);
    expect([r.status, r.body.error.code]).toEqual([400, 'INVALID_INPUT']);
    expect(r.body.error.message).toMatch(message);
  }
  // 80 characters counted as characters: 80 CJK characters are fine.
  expect((await api('POST', '/api/refund', { outTradeNo: 'NO-SUCH-ORDER-1', reason: '退'.repeat(80) })).body.error.code).toBe('ORDER_NOT_FOUND');
  expect(await refundsOf(no)).toEqual([]);
  const missing = await api('POST', '/api/refund', { outTradeNo: 'NO-SUCH-ORDER-1' });
  expect([missing.status, missing.body.error.code]).toEqual([404, 'ORDER_NOT_FOUND']);
  const malformed = await api('POST', '/api/refund', { outTradeNo: 'not a number!' });
  expect([malformed.status, malformed.body.error.code]).toEqual([400, 'INVALID_INPUT']);
  // An unpaid order is the function's refusal too.
  const pending = (await fx.harness.call('createOrder', { items: [{ productId: 'tea', quantity: 1 }] }, 'o-refund-3')).outTradeNo;
  const unpaid = await api('POST', '/api/refund', { outTradeNo: pending });
  expect([unpaid.status, unpaid.body.error.code]).toEqual([409, 'REFUND_NOT_ALLOWED']);
  expect(await refundsOf(pending)).toEqual([]);
});
