/**
 * Property tests: any bill the writer produces (any rows, names with commas, quotes, backticks
 * and CJK, BOM or not, CRLF or LF, cut into arbitrary chunks) parses back to exactly its rows and
 * summary; amounts survive text and back without a float anywhere.
 */
import fc from 'fast-check';
import {
  feeToMilliFen, fenToYuan, formatBill, milliFenToYuan, parseBill, yuanToFen, TRADE_LAYOUTS,
  type BillRecord, type FundFlowRow, type TradeBillRow, type TradeLayout,
} from '../../lib/wechatpay';

const fen = fc.integer({ min: 0, max: 10_000_000_000 });
const signedMilliFen = fc.integer({ min: -1_000_000_000, max: 1_000_000_000 });
/** Free text the format can carry: anything but ",`" and newlines. */
const text = fc
  .string({ unit: fc.constantFrom('a', 'Z', '9', ' ', ',', '"', "'", '`', '拿', '铁', '咖', '啡', '，', '（', '）', '%', '\\', '😀'), maxLength: 24 })
  .filter((s) => !s.includes(',`'));
const id = fc.string({ unit: fc.constantFrom('0', '1', '4', '2', 'A', 'x', '_'), minLength: 1, maxLength: 32 });
const time = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 19).replace('T', ' '));

const tradeRow = fc.record<TradeBillRow>({
  tradeTime: time, appid: id, mchid: id, subMchid: fc.constant('0'), deviceInfo: text, transactionId: id, outTradeNo: id, openid: id,
  tradeType: fc.constantFrom('JSAPI', 'NATIVE'), tradeState: fc.constantFrom('SUCCESS', 'REFUND', 'REVOKED'), bankType: text, currency: fc.constant('CNY'),
  settlementFen: fen, couponFen: fen, refundApplyTime: time, refundSuccessTime: time, refundId: id, outRefundNo: id, refundFen: fen,
  rechargeCouponRefundFen: fen, refundType: fc.constantFrom('', 'ORIGINAL', 'BALANCE'), refundStatus: fc.constantFrom('', 'SUCCESS', 'PROCESSING'),
  body: text, attach: text, feeMilliFen: signedMilliFen, rate: fc.constantFrom('0.60%', '0.20%'), totalFen: fen, requestedRefundFen: fen, rateNote: text,
});

/** What a layout keeps of a row: its own columns; the others read back as their empty value. */
function projected(layout: TradeLayout, row: TradeBillRow): TradeBillRow {
  const keys = new Set(TRADE_LAYOUTS[layout].map((c) => c.key));
  const out = { ...row } as Record<string, unknown>;
  for (const [k, v] of Object.entries(row)) if (!keys.has(k)) out[k] = typeof v === 'number' ? 0 : '';
  return out as unknown as TradeBillRow;
}

const chunked = (bytes: Buffer, cuts: number[]): Buffer[] => {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
};

async function parseAll(chunks: Buffer[]): Promise<BillRecord[]> {
  const records: BillRecord[] = [];
  for await (const r of parseBill(chunks)) records.push(r);
  return records;
}

test('trade bills of every layout round-trip through writer and streaming parser', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom<TradeLayout>('ALL', 'SUCCESS', 'REFUND'), fc.array(tradeRow, { maxLength: 12 }), fc.boolean(), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }),
      async (layout, rows, bom, crlf, cuts) => {
        const expectedRows = rows.map((r) => projected(layout, r));
        const summary = { count: rows.length, settlementFen: 1, refundFen: 2, rechargeCouponRefundFen: 3, feeMilliFen: -4, totalFen: 5, requestedRefundFen: 6 };
        const bytes = Buffer.from(formatBill({ kind: 'trade', layout }, expectedRows, summary, { bom, crlf }));
        const records = await parseAll(chunked(bytes, cuts));
        expect(records[0]).toEqual({ type: 'layout', kind: 'trade', layout });
        expect(records.slice(1, -1)).toEqual(expectedRows.map((row, index) => ({ type: 'trade', index, row })));
        const last = records.at(-1) as Extract<BillRecord, { type: 'tradeSummary' }>;
        expect(last.rows).toBe(rows.length);
        expect(last.summary.count).toBe(rows.length);
      },
    ),
    { numRuns: 150 },
  );
});

test('fund-flow bills round-trip', async () => {
  const row = fc.record<FundFlowRow>({
    time, businessNo: id, flowNo: id, businessName: text, businessType: text, direction: fc.constantFrom('收入', '支出'),
    amountFen: fen, balanceFen: fen, applicant: text, remark: text, voucherNo: id,
  });
  await fc.assert(
    fc.asyncProperty(fc.array(row, { maxLength: 10 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 4 }), async (rows, crlf, cuts) => {
      const summary = { count: rows.length, incomeCount: 1, incomeFen: 2, expenseCount: 3, expenseFen: 4 };
      const records = await parseAll(chunked(Buffer.from(formatBill({ kind: 'fundflow', layout: 'FUNDFLOW' }, rows, summary, { crlf })), cuts));
      expect(records.slice(1, -1)).toEqual(rows.map((r, index) => ({ type: 'fundflow', index, row: r })));
      expect(records.at(-1)).toEqual({ type: 'fundflowSummary', rows: rows.length, summary });
    }),
  );
});

test('money and fee text ↔ integers exactly (no float), negatives included', () => {
  fc.assert(fc.property(fc.integer({ min: -9e15, max: 9e15 }), (n) => {
    expect(yuanToFen(fenToYuan(n), 'x')).toBe(n);
    expect(feeToMilliFen(milliFenToYuan(n), 'x')).toBe(n);
  }));
  expect(yuanToFen('0.1', 'x')).toBe(10);
  expect(yuanToFen('19.99', 'x')).toBe(1999); // 19.99 * 100 is 1998.9999999999998 in floats
  expect(feeToMilliFen('0.07404', 'x')).toBe(7404);
  expect(() => yuanToFen('1e3', 'x')).toThrow(/not an amount/);
  expect(() => yuanToFen('-', 'x')).toThrow(/not an amount/);
});

test('the writer refuses a value the format cannot carry instead of writing a corrupt bill', () => {
  const row = { outTradeNo: 'T1', body: 'a,`b' } as unknown as TradeBillRow;
  expect(() => formatBill({ kind: 'trade', layout: 'SUCCESS' }, [row], { count: 1, settlementFen: 0, feeMilliFen: 0, totalFen: 0 })).toThrow(/cannot be written/);
});
