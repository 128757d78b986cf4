/** The pure parts of lib/refunds: input, staff list, out_refund_no derivation, steps, checks. */
import fc from 'fast-check';
import { outRefundNoFor, refundKeyFor } from '../../lib/refunds/ids';
import { refusalReason } from '../../lib/refunds/ledger';
import { toRefundView, type Refund } from '../../lib/refunds/model';
import { loadRefundSettings, parseAdminOpenids } from '../../lib/refunds/settings';
import { refundMismatchReason, refundStepFor } from '../../lib/refunds/transition';
import { parseRefundRequest, requireStaff } from '../../lib/refunds/validate';
import type { Order } from '../../lib/orders/model';

const NO = '20260101120000abcdef012345';

describe('parseRefundRequest', () => {
  it('accepts full and partial requests, trimming the reason', () => {
    expect(parseRefundRequest({ outTradeNo: NO, reason: ' Late ' })).toEqual({ outTradeNo: NO, reason: 'Late' });
    expect(parseRefundRequest({ outTradeNo: NO, reason: 'Late', amount: 1, requestKey: 'k-1_a' })).toEqual({ outTradeNo: NO, reason: 'Late', amount: 1, requestKey: 'k-1_a' });
  });

  it('cuts a reason to WeChat Pay\'s 80 bytes of UTF-8 on a character boundary (a Chinese character is 3 bytes)', () => {
    const reason = '商品质量问题退款'.repeat(5).slice(0, 40); // 40 characters, 120 bytes
    const parsed = parseRefundRequest({ outTradeNo: NO, reason });
    expect(parsed.reason).toBe(reason.slice(0, 25) + '…');
    expect(Buffer.byteLength(parsed.reason)).toBeLessThanOrEqual(80);
    expect(parseRefundRequest({ outTradeNo: NO, reason: 'x'.repeat(80) }).reason).toBe('x'.repeat(80));
  });

  it.each([
    [null, /Send \{outTradeNo/],
    [[], /Send \{outTradeNo/],
    [{ reason: 'r' }, /outTradeNo/],
    [{ outTradeNo: NO }, /reason/],
    [{ outTradeNo: NO, reason: '   ' }, /reason/],
    [{ outTradeNo: NO, reason: 'x'.repeat(81) }, /at most 80/],
    [{ outTradeNo: NO, reason: 'r', amount: 0 }, /at least 1/],
    [{ outTradeNo: NO, reason: 'r', amount: 10.5 }, /whole number/],
    [{ outTradeNo: NO, reason: 'r', amount: '100' }, /whole number/],
    [{ outTradeNo: NO, reason: 'r', amount: 2 ** 53 }, /whole number/],
    [{ outTradeNo: NO, reason: 'r', requestKey: '' }, /requestKey/],
    [{ outTradeNo: NO, reason: 'r', requestKey: 'a'.repeat(65) }, /requestKey/],
  ])('refuses %j with INVALID_INPUT', (input, message) => {
    expect(() => parseRefundRequest(input)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(message) }));
  });

  it('accepts 80 characters of input but keeps only what fits WeChat Pay\'s 80 bytes', () => {
    expect(parseRefundRequest({ outTradeNo: NO, reason: '退'.repeat(80) }).reason).toBe('退'.repeat(25) + '…');
  });
});

describe('staff allowlist', () => {
  it('parses a comma-separated list and refuses anyone else with FORBIDDEN', () => {
    const staff = parseAdminOpenids(' oSTAFF0001 ,,oSTAFF0002 ');
    expect([...staff]).toEqual(['oSTAFF0001', 'oSTAFF0002']);
    expect(() => requireStaff(staff, 'oSTAFF0002')).not.toThrow();
    expect(() => requireStaff(staff, 'oCUSTOMER1')).toThrow(expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringMatching(/REFUND_ADMIN_OPENIDS/) }));
    expect(() => requireStaff(parseAdminOpenids(undefined), 'oSTAFF0001')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('fails loudly on a malformed entry or setting instead of silently locking staff out', () => {
    expect(() => parseAdminOpenids('oSTAFF0001;oSTAFF0002')).toThrow(/REFUND_ADMIN_OPENIDS/);
    expect(() => loadRefundSettings({ REFUND_RECONCILE_MIN_AGE_SECONDS: '-1' })).toThrow(/REFUND_RECONCILE_MIN_AGE_SECONDS/);
    expect(loadRefundSettings({}).reconcileMinAgeSeconds).toBe(180);
  });
});

describe('out_refund_no derivation', () => {
  it('is deterministic per order and key, distinct across keys and orders, and within WeChat limits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Za-z_\-|*]{6,32}$/), fc.option(fc.integer({ min: 1, max: 1e9 }), { nil: undefined }), fc.option(fc.stringMatching(/^[0-9A-Za-z_-]{1,64}$/), { nil: undefined }), (no, amount, requestKey) => {
        const key = refundKeyFor({ amount, requestKey });
        const a = outRefundNoFor(no, key);
        expect(outRefundNoFor(no, key)).toBe(a);
        expect(a).toMatch(/^[0-9A-Za-z_\-|*@]{1,64}$/);
        expect(a.startsWith(`${no}-R`)).toBe(true);
        expect(outRefundNoFor(no, `${key}x`)).not.toBe(a);
      }),
    );
  });

  it('keys by requestKey when given, else by the amount, else full', () => {
    expect(refundKeyFor({})).toBe('full');
    expect(refundKeyFor({ amount: 100 })).toBe('amount:100');
    expect(refundKeyFor({ amount: 100, requestKey: 'k' })).toBe('key:k');
    expect(outRefundNoFor(NO, 'full')).not.toBe(outRefundNoFor(`${NO}0`, 'full'));
  });
});

describe('the refund state machine', () => {
  it('moves PROCESSING to any outcome, ABNORMAL to a final one, and never leaves SUCCESS or CLOSED', () => {
    expect(refundStepFor('SUCCESS')).toEqual({ to: 'SUCCESS', from: ['PROCESSING', 'ABNORMAL'] });
    expect(refundStepFor('CLOSED')).toEqual({ to: 'CLOSED', from: ['PROCESSING', 'ABNORMAL'] });
    expect(refundStepFor('ABNORMAL')).toEqual({ to: 'ABNORMAL', from: ['PROCESSING'] });
    expect(refundStepFor('PROCESSING')).toBeNull();
    expect(refundStepFor('whatever')).toBeNull();
  });

  it('refuses WeChat facts that do not match the refund we asked for', () => {
    const refund = { outRefundNo: `${NO}-R1`, outTradeNo: NO, amount: 500, refundId: '501' };
    const ids = { out_refund_no: refund.outRefundNo, out_trade_no: NO };
    expect(refundMismatchReason(refund, { ...ids, mchid: '1900000001', refund_id: '501', amount: { refund: 500 } }, { mchid: '1900000001' })).toBeNull();
    expect(refundMismatchReason(refund, { ...ids, mchid: '1900000002' }, { mchid: '1900000001' })).toMatch(/mchid/);
    expect(refundMismatchReason(refund, { ...ids, out_trade_no: 'other000' }, { mchid: '1' })).toMatch(/out_trade_no/);
    expect(refundMismatchReason(refund, { ...ids, amount: { refund: 501 } }, { mchid: '1' })).toMatch(/refund amount 501 differs/);
    expect(refundMismatchReason(refund, { ...ids, refund_id: '502' }, { mchid: '1' })).toMatch(/refund_id/);
    expect(refundMismatchReason({ ...refund, refundId: null }, { ...ids, refund_id: '502' }, { mchid: '1' })).toBeNull();
  });

  it('believes only an answer that names this refund and its order (a genuine answer about another verifies too)', () => {
    const refund = { outRefundNo: `${NO}-R1`, outTradeNo: NO, amount: 500, refundId: null };
    // Another refund of the same order, same amount: only out_refund_no tells them apart.
    expect(refundMismatchReason(refund, { out_refund_no: `${NO}-R2`, out_trade_no: NO, amount: { refund: 500 } }, { mchid: '1' })).toMatch(/about refund .*-R2, not .*-R1/);
    expect(refundMismatchReason(refund, { out_trade_no: NO, amount: { refund: 500 } }, { mchid: '1' })).toMatch(/about refund \(none\)/);
    expect(refundMismatchReason(refund, { out_refund_no: refund.outRefundNo, amount: { refund: 500 } }, { mchid: '1' })).toMatch(/out_trade_no \(none\)/);
  });
});

describe('refusal reasons and views', () => {
  const order = { status: 'SUCCESS', amount: { total: 3600, currency: 'CNY' }, refundReserved: 1000, refundCount: 1 } as Order;
  it('say what is left and why', () => {
    expect(refusalReason(order, 3000)).toBe('Only 2600 fen of 3600 can still be refunded (1000 fen refunded or in progress); 3000 fen asked.');
    expect(refusalReason({ ...order, refundReserved: 3600 }, 1)).toMatch(/Nothing is left/);
    expect(refusalReason({ ...order, refundCount: 50 }, 1)).toMatch(/50 refunds/);
    expect(refusalReason({ ...order, status: 'REFUND' }, 1)).toMatch(/fully refunded/);
    expect(refusalReason({ ...order, status: 'CLOSED' }, 1)).toMatch(/CLOSED, not paid/);
  });

  it('a refund view carries no staff identity and ISO times', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const refund: Refund = { _id: 'r', outRefundNo: 'r', outTradeNo: NO, amount: 1, orderTotal: 2, reason: 'x', status: 'SUCCESS', refundId: '50', requestedBy: 'oSTAFF0001', createdAt: at, updatedAt: at, successTime: at, transitions: [] };
    expect(toRefundView(refund)).toEqual({ outRefundNo: 'r', outTradeNo: NO, amount: 1, reason: 'x', status: 'SUCCESS', refundId: '50', createdAt: at.toISOString(), successTime: at.toISOString() });
  });
});
