/** The streaming bill parser on hand-written fixtures (documented layout), every refusal, and chunking. */
import { BILL_ERROR_CODES, parseBill, type BillRecord } from '../../lib/wechatpay';
import { ALL_HEADER, ALL_SUMMARY_HEADER, allBill, fundFlowBill, LEGACY_HEADER, refundBill, successBill, ALL_PAYMENT } from './fixtures';

async function collect(source: Iterable<string | Buffer> | AsyncIterable<string | Buffer>): Promise<BillRecord[]> {
  const out: BillRecord[] = [];
  for await (const r of parseBill(source)) out.push(r);
  return out;
}

async function failure(text: string): Promise<{ code: string; message: string }> {
  try {
    await collect([text]);
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('parsed without error');
}

describe('trade bill ALL', () => {
  test('a payment row and a refund row become typed rows with integer fen and milli-fen fees', async () => {
    const records = await collect([allBill()]);
    expect(records[0]).toEqual({ type: 'layout', kind: 'trade', layout: 'ALL' });
    const [payment, refund] = records.filter((r) => r.type === 'trade').map((r) => (r as Extract<BillRecord, { type: 'trade' }>).row);
    expect(payment).toMatchObject({
      tradeTime: '2026-11-30 09:15:02', outTradeNo: 'T20261130A1', transactionId: '4200000001202611300000000001', tradeState: 'SUCCESS',
      settlementFen: 1234, totalFen: 1234, refundFen: 0, refundId: '0', outRefundNo: '0', refundStatus: '', feeMilliFen: 7404,
      body: '拿铁, "大杯"', attach: 'attach,x', rate: '0.60%', subMchid: '0',
    });
    expect(refund).toMatchObject({ tradeState: 'REFUND', outRefundNo: 'R20261130A1', refundFen: 500, requestedRefundFen: 500, settlementFen: 0, refundType: 'ORIGINAL', refundStatus: 'SUCCESS', feeMilliFen: -3000 });
    expect(records.at(-1)).toEqual({
      type: 'tradeSummary', rows: 2,
      summary: { count: 2, settlementFen: 1234, refundFen: 500, rechargeCouponRefundFen: 0, feeMilliFen: 4404, totalFen: 1234, requestedRefundFen: 500 },
    });
  });

  test('BOM + CRLF and no BOM + LF parse to the same records', async () => {
    expect(await collect([allBill('\r\n', '\ufeff')])).toEqual(await collect([allBill('\n')]));
  });

  test('split at every byte boundary (inside CJK characters too) parses the same', async () => {
    const bytes = Buffer.from(allBill('\r\n', '\ufeff'));
    const whole = await collect([bytes]);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      expect(await collect([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
    expect(await collect([...bytes].map((b) => Buffer.from([b])))).toEqual(whole);
  });

  test('no trailing newline is fine', async () => {
    expect(await collect([allBill().trimEnd()])).toEqual(await collect([allBill()]));
  });
});

test('SUCCESS layout: no refund columns, counts like "1.0"', async () => {
  const records = await collect([successBill()]);
  expect(records[0]).toEqual({ type: 'layout', kind: 'trade', layout: 'SUCCESS' });
  expect((records[1] as Extract<BillRecord, { type: 'trade' }>).row).toMatchObject({ outTradeNo: 'T2', totalFen: 1, deviceInfo: 'dev1', bankType: 'CMB_CREDIT', outRefundNo: '', refundFen: 0 });
  expect(records[2]).toEqual({ type: 'tradeSummary', rows: 1, summary: { count: 1, settlementFen: 1, feeMilliFen: 0, totalFen: 1 } });
});

test('REFUND layout: the two refund times, a PROCESSING refund, CRLF without BOM', async () => {
  const records = await collect([refundBill()]);
  expect(records[0]).toEqual({ type: 'layout', kind: 'trade', layout: 'REFUND' });
  expect((records[1] as Extract<BillRecord, { type: 'trade' }>).row).toMatchObject({
    refundApplyTime: '2026-11-30 10:00:00', refundSuccessTime: '2026-11-30 10:00:05', outRefundNo: 'R3', refundFen: 100, refundStatus: 'PROCESSING', refundType: 'BALANCE', feeMilliFen: -600,
  });
  expect(records[2]).toMatchObject({ type: 'tradeSummary', summary: { count: 1, refundFen: 100, feeMilliFen: -600 } });
});

test('fund-flow bill', async () => {
  const records = await collect([fundFlowBill()]);
  expect(records[0]).toEqual({ type: 'layout', kind: 'fundflow', layout: 'FUNDFLOW' });
  expect((records[2] as Extract<BillRecord, { type: 'fundflow' }>).row).toEqual({
    time: '2026-11-30 09:15:02', businessNo: '4200000001', flowNo: '1000000002', businessName: '扣除交易手续费', businessType: '扣除交易手续费',
    direction: '支出', amountFen: 7, balanceFen: 11227, applicant: 'system', remark: '手续费, 费率0.60%', voucherNo: 'T20261130A1',
  });
  expect(records[3]).toEqual({ type: 'fundflowSummary', rows: 2, summary: { count: 2, incomeCount: 1, incomeFen: 1234, expenseCount: 1, expenseFen: 7 } });
});

describe('refusals, each with its stable code', () => {
  test('legacy 24-column layout → BILL_LAYOUT_UNKNOWN naming the column count', async () => {
    const err = await failure(`${LEGACY_HEADER}\n`);
    expect(err.code).toBe(BILL_ERROR_CODES.BILL_LAYOUT_UNKNOWN);
    expect(err.message).toMatch(/24 columns/);
  });
  test('a layout other than the one asked for → BILL_LAYOUT_UNKNOWN', async () => {
    const it = parseBill([successBill()], { expect: ['ALL'] });
    await expect((async () => { for await (const _ of it) void _; })()).rejects.toMatchObject({ code: BILL_ERROR_CODES.BILL_LAYOUT_UNKNOWN });
  });
  test('a row with a column too many (an unescaped ",`" in a value) → BILL_MALFORMED with the line', async () => {
    const err = await failure([ALL_HEADER, `${ALL_PAYMENT},\`extra`, ALL_SUMMARY_HEADER, '`1'].join('\n'));
    expect(err).toMatchObject({ code: BILL_ERROR_CODES.BILL_MALFORMED });
    expect(err.message).toMatch(/line 2 has 28 values/);
  });
  test('an amount that is not yuan with 2 decimals → BILL_MALFORMED', async () => {
    const err = await failure([ALL_HEADER, ALL_PAYMENT.replace('`12.34', '`12.345'), ALL_SUMMARY_HEADER, '`1,`0.00,`0.00,`0.00,`0.00000,`0.00,`0.00'].join('\n'));
    expect(err).toMatchObject({ code: BILL_ERROR_CODES.BILL_MALFORMED });
    expect(err.message).toMatch(/应结订单金额 "12.345"/);
  });
  test('a bill cut before its summary → BILL_MALFORMED (truncated)', async () => {
    const err = await failure([ALL_HEADER, ALL_PAYMENT].join('\n'));
    expect(err).toMatchObject({ code: BILL_ERROR_CODES.BILL_MALFORMED });
    expect(err.message).toMatch(/without its summary/);
  });
  test('content after the summary, a summary without backticks, an unknown summary column', async () => {
    const good = allBill();
    expect(await failure(`${good}\`x\n`)).toMatchObject({ code: BILL_ERROR_CODES.BILL_MALFORMED });
    expect(await failure([ALL_HEADER, ALL_SUMMARY_HEADER, '2,12.34'].join('\n'))).toMatchObject({ code: BILL_ERROR_CODES.BILL_MALFORMED });
    expect(await failure([ALL_HEADER, '总交易单数,别的'].join('\n'))).toMatchObject({ code: BILL_ERROR_CODES.BILL_MALFORMED });
  });
  test('an empty file → BILL_MALFORMED', async () => {
    expect(await failure('')).toMatchObject({ code: BILL_ERROR_CODES.BILL_MALFORMED });
  });
});
