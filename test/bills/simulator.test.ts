/**
 * Bills end to end between lib/wechatpay's client and the simulator over real HTTP: the apply is
 * signed and verified, the download is signed and its unsigned answer checked by SHA-1; gzip or
 * not; every WeChat error code on the path and every fault (corrupt, truncated, slow).
 */
import { createHash } from 'crypto';
import type { WechatSimulator } from '../../emulator/wechat';
import { chinaDate, chinaMidnight } from '../../emulator/wechat/bills/ledger';
import { BILL_ERROR_CODES, checkApply, createWechatPayClient, parseBill, type BillApply, type BillRecord } from '../../lib/wechatpay';
import { control, rawFetch, signedRequest, startSim, testCredentials } from '../simulator/helpers';
import { refundsFinished } from '../support/refunds-finished';

type Client = ReturnType<typeof createWechatPayClient>;
let sim: WechatSimulator;
let client: Client;
let day: string;
const paid: string[] = [];

const clientFor = (extra: Record<string, unknown> = {}): Client => {
  const c = testCredentials();
  return createWechatPayClient({
    mchid: c.mchid, serialNo: c.merchant.serialNo, privateKey: c.merchant.privateKey, apiV3Key: c.apiV3Key, appid: c.appid,
    notifyUrl: 'https://notify.local.test/pay/notify', baseUrl: sim.url, publicKeyId: c.platform.serial, publicKey: c.platform.publicKey,
    maxRetries: 0, ...extra,
  });
};

async function payOrder(outTradeNo: string, total: number, description: string): Promise<void> {
  const { prepay_id } = await client.jsapiPrepay({ description, out_trade_no: outTradeNo, amount: { total }, payer: { openid: 'oBILLTEST' } });
  expect((await control(sim, 'POST', '/pay', { prepay_id })).status).toBe(200);
  paid.push(outTradeNo);
}

async function drain(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of it) chunks.push(c);
  return Buffer.concat(chunks);
}

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; httpStatus?: number }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  sim = await startSim({ timeScale: 1000, refundDelaySeconds: 1 });
  client = clientFor();
  await payOrder('BILLT0001', 1234, '拿铁, "大杯",`特调');
  await payOrder('BILLT0002', 1, 'tea');
  await client.createRefund({ out_refund_no: 'BILLR0001', out_trade_no: 'BILLT0001', reason: 'r', amount: { refund: 500, total: 1234, currency: 'CNY' } });
  await refundsFinished(sim.state);
  day = chinaDate(sim.state.now());
});
afterAll(async () => {
  client.close();
  await sim.close();
});

test('before 10:00 China time of the next day the bill is STATEMENT_CREATING (400)', async () => {
  const err = await rejection(client.tradeBill({ billDate: day }));
  expect(err).toMatchObject({ code: 'STATEMENT_CREATING', httpStatus: 400 });
});

describe('after 10:00 the next day', () => {
  beforeAll(async () => {
    const wait = chinaMidnight(day) + 34 * 3600_000 - sim.state.now() + 1000;
    await control(sim, 'POST', '/clock', { advanceSeconds: Math.max(0, wait) / 1000 });
  });
  afterEach(async () => {
    await control(sim, 'POST', '/bills/faults', {});
  });

  test.each([[undefined], ['GZIP' as const]])('ALL bill (tar_type %s): signed apply, unsigned download, SHA-1 equal, rows parse', async (tarType) => {
    const apply = await client.tradeBill({ billDate: day, tarType });
    expect(apply.download_url).toContain(sim.url);
    const bytes = await drain(client.downloadBill(apply));
    expect(createHash('sha1').update(bytes).digest('hex')).toBe(apply.hash_value);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])); // the simulator writes BOM + CRLF
    const records: BillRecord[] = [];
    for await (const r of parseBill([bytes])) records.push(r);
    const rows = records.filter((r): r is Extract<BillRecord, { type: 'trade' }> => r.type === 'trade').map((r) => r.row);
    expect(rows.map((r) => [r.outTradeNo, r.tradeState, r.totalFen, r.refundFen, r.outRefundNo])).toEqual([
      ['BILLT0001', 'SUCCESS', 1234, 0, '0'], ['BILLT0002', 'SUCCESS', 1, 0, '0'], ['BILLT0001', 'REFUND', 0, 500, 'BILLR0001'],
    ]);
    expect(rows[0].body).toBe('拿铁, "大杯", 特调'); // ",`" cannot be carried: written as ", "
    expect(records.at(-1)).toMatchObject({ type: 'tradeSummary', rows: 3, summary: { count: 3, totalFen: 1235, refundFen: 500, feeMilliFen: (1235 - 500) * 6 } });
  });

  test('SUCCESS and REFUND bills and the fund-flow bill', async () => {
    const layoutOf = async (apply: BillApply): Promise<BillRecord[]> => {
      const out: BillRecord[] = [];
      for await (const r of parseBill(client.downloadBill(apply))) out.push(r);
      return out;
    };
    const success = await layoutOf(await client.tradeBill({ billDate: day, billType: 'SUCCESS' }));
    expect(success[0]).toMatchObject({ layout: 'SUCCESS' });
    expect(success.filter((r) => r.type === 'trade')).toHaveLength(2);
    const refund = await layoutOf(await client.tradeBill({ billDate: day, billType: 'REFUND', tarType: 'GZIP' }));
    expect(refund[0]).toMatchObject({ layout: 'REFUND' });
    expect(refund[1]).toMatchObject({ type: 'trade', row: { outRefundNo: 'BILLR0001', refundStatus: 'SUCCESS', refundFen: 500 } });
    const flow = await layoutOf(await client.fundFlowBill({ billDate: day }));
    expect(flow.at(-1)).toMatchObject({ type: 'fundflowSummary', summary: { incomeFen: 1235, incomeCount: 2 } });
  });

  test('the download answer carries no Wechatpay-* signature; the download request must be signed (401 otherwise)', async () => {
    const apply = await client.tradeBill({ billDate: day });
    const path = new URL(apply.download_url).pathname + new URL(apply.download_url).search;
    const unsigned = await rawFetch(apply.download_url);
    expect(unsigned.status).toBe(401);
    expect(unsigned.json.code).toBe('SIGN_ERROR');
    const signed = await signedRequest(sim, 'GET', path);
    expect(signed.status).toBe(200);
    expect(Object.keys(signed.headers).filter((h) => h.startsWith('wechatpay-'))).toEqual([]);
  });

  test('a download_url is one-time: the second download answers INVALID_REQUEST', async () => {
    const apply = await client.tradeBill({ billDate: day });
    await drain(client.downloadBill(apply));
    expect(await rejection(drain(client.downloadBill(apply)))).toMatchObject({ code: 'INVALID_REQUEST', httpStatus: 400 });
  });

  test('an expired download_url (5 minutes) answers INVALID_REQUEST with "apply again"', async () => {
    const apply = await client.tradeBill({ billDate: day });
    await control(sim, 'POST', '/clock', { advanceSeconds: 301 });
    const err = await rejection(drain(client.downloadBill(apply)));
    expect(err).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(err.message).toMatch(/apply again/);
  });

  test('an empty day is NO_STATEMENT_EXIST; a future day or one older than 3 months PARAM_ERROR', async () => {
    const before = chinaDate(chinaMidnight(day) - 3600_000);
    expect(await rejection(client.tradeBill({ billDate: before }))).toMatchObject({ code: 'NO_STATEMENT_EXIST', httpStatus: 400 });
    expect(await rejection(client.fundFlowBill({ billDate: before }))).toMatchObject({ code: 'NO_STATEMENT_EXIST' });
    expect(await rejection(client.tradeBill({ billDate: '2099-01-01' }))).toMatchObject({ code: 'PARAM_ERROR' });
    expect(await rejection(client.tradeBill({ billDate: chinaDate(chinaMidnight(day) - 100 * 86400_000) }))).toMatchObject({ code: 'PARAM_ERROR' });
    expect(await rejection(client.tradeBill({ billDate: '2026-13-01' }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  test('a corrupted file: every byte is handed on, then BILL_HASH_MISMATCH ends the iteration', async () => {
    await control(sim, 'POST', '/bills/faults', { corruptBill: true });
    const apply = await client.tradeBill({ billDate: day, tarType: 'GZIP' });
    const records: BillRecord[] = [];
    const err = await rejection((async () => { for await (const r of parseBill(client.downloadBill(apply))) records.push(r); })());
    expect(err.code).toBe(BILL_ERROR_CODES.BILL_HASH_MISMATCH);
    expect(records.at(-1)?.type).toBe('tradeSummary'); // parsed to the end: only the hash can tell
  });

  test('a truncated gzip → BILL_TRUNCATED; a truncated plain file → never a clean end', async () => {
    await control(sim, 'POST', '/bills/faults', { truncateBill: true });
    expect((await rejection(drain(client.downloadBill(await client.tradeBill({ billDate: day, tarType: 'GZIP' }))))).code).toBe(BILL_ERROR_CODES.BILL_TRUNCATED);
    expect((await rejection(drain(client.downloadBill(await client.tradeBill({ billDate: day })))))).toMatchObject({ code: BILL_ERROR_CODES.BILL_HASH_MISMATCH });
  });

  test('a slow download that keeps moving completes; one idle past the timeout fails TIMEOUT', async () => {
    await control(sim, 'POST', '/bills/faults', { slowBillMs: 150 });
    expect((await drain(client.downloadBill(await client.tradeBill({ billDate: day })))).length).toBeGreaterThan(100);
    const impatient = clientFor({ billIdleTimeoutMs: 50 });
    try {
      expect((await rejection(drain(impatient.downloadBill(await impatient.tradeBill({ billDate: day })))))).toMatchObject({ code: 'TIMEOUT' });
    } finally {
      impatient.close();
    }
  });

  test('unknown bill faults are refused by name', async () => {
    const r = await control(sim, 'POST', '/bills/faults', { corrupt: true });
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/corruptBill, truncateBill, slowBillMs/);
  });
});

test('an apply answer whose download_url is on another host is refused before any signed header leaves', () => {
  const apply = { hash_type: 'SHA1', hash_value: 'a'.repeat(40), download_url: 'https://evil.example/v3/billdownload/file?token=x' };
  expect(() => checkApply(apply, new URL('https://api.mch.weixin.qq.com'))).toThrow(expect.objectContaining({ code: BILL_ERROR_CODES.BILL_APPLY_INVALID }));
  expect(() => checkApply({ ...apply, hash_type: 'MD5' }, new URL('https://evil.example'))).toThrow(expect.objectContaining({ code: BILL_ERROR_CODES.BILL_APPLY_INVALID }));
});
