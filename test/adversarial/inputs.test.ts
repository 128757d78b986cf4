/**
 * Hostile client input to the real functions (esbuild bundles on the CloudBase emulator, called as
 * wx.cloud.callFunction would): each gets its documented error code and nothing is written.
 */
import { startHarness, type Harness } from '../e2e/harness';
import { readAll } from '../../scripts/chaos/snapshot';

jest.setTimeout(180_000);

const EVE = 'oEVE0000000000000000000005';
const VICTIM = 'oVICTIM00000000000000000006';
let h: Harness;
let victimOrder: string;

beforeAll(async () => {
  h = await startHarness({ functionTimeoutMs: 20_000 });
  victimOrder = (await h.call('createOrder', { items: [{ productId: 'tea', quantity: 1 }] }, VICTIM)).outTradeNo;
});
afterAll(async () => {
  await h?.close();
});

const line = (patch: Record<string, unknown>) => ({ items: [{ productId: 'coffee', quantity: 1, ...patch }] });
const INJECTIONS = [{ $ne: null }, { $gt: '' }, { $regex: '.*' }, { $where: 'sleep(1000)' }];
const INJECTION_STRINGS = ['$ne', "coffee' || '1'=='1", 'coffee"; db.dropDatabase(); "', '{"$ne":null}', '../../etc/passwd', 'coffee\u0000', '<script>alert(1)</script>'];

const CASES: Array<[string, string, unknown, string]> = [
  // Non-object data never reaches the function: the platform (here the emulator) refuses the call.
  ['createOrder', 'null', null, 'platform:INVALID_PARAM'],
  ['createOrder', 'a string', 'coffee', 'platform:INVALID_PARAM'],
  ['createOrder', 'an array', [{ productId: 'coffee', quantity: 1 }], 'INVALID_INPUT'],
  ['createOrder', 'items a string', { items: 'coffee' }, 'INVALID_INPUT'],
  ['createOrder', 'no items', { items: [] }, 'INVALID_INPUT'],
  ['createOrder', 'a null line', { items: [null] }, 'INVALID_INPUT'],
  ['createOrder', 'numeric productId', line({ productId: 1 }), 'INVALID_INPUT'],
  ['createOrder', 'quantity as a string', line({ quantity: '2' }), 'INVALID_INPUT'],
  ['createOrder', 'quantity true', line({ quantity: true }), 'INVALID_INPUT'],
  ['createOrder', 'negative quantity', line({ quantity: -1 }), 'INVALID_INPUT'],
  ['createOrder', 'zero quantity', line({ quantity: 0 }), 'INVALID_INPUT'],
  ['createOrder', 'fractional quantity', line({ quantity: 1.5 }), 'INVALID_INPUT'],
  ['createOrder', 'quantity 100', line({ quantity: 100 }), 'INVALID_INPUT'],
  ['createOrder', 'huge quantity', line({ quantity: 1e308 }), 'INVALID_INPUT'],
  ['createOrder', 'quantity past MAX_SAFE_INTEGER', line({ quantity: 2 ** 60 }), 'INVALID_INPUT'],
  ['createOrder', 'unknown product', line({ productId: 'nope' }), 'PRODUCT_NOT_FOUND'],
  ['createOrder', 'inactive product', line({ productId: 'retired' }), 'PRODUCT_NOT_FOUND'],
  ['createOrder', 'the same product twice', { items: [{ productId: 'tea', quantity: 1 }, { productId: 'tea', quantity: 2 }] }, 'INVALID_INPUT'],
  ['createOrder', '51 lines', { items: Array.from({ length: 51 }, (_x, i) => ({ productId: `p${i}`, quantity: 1 })) }, 'INVALID_INPUT'],
  ['createOrder', 'oversized: 20,000 lines', { items: Array.from({ length: 20_000 }, (_x, i) => ({ productId: `p${i}`, quantity: 1 })) }, 'INVALID_INPUT'],
  ['createOrder', 'oversized: a 1 MB productId', line({ productId: 'x'.repeat(1_000_000) }), 'INVALID_INPUT'],
  ['createOrder', 'items and outTradeNo together', { ...line({}), outTradeNo: victimOrderPlaceholder() }, 'INVALID_INPUT'],
  ['createOrder', "paying someone else's order", { outTradeNo: victimOrderPlaceholder() }, 'ORDER_NOT_FOUND'],
  ['createOrder', 'an order number that does not exist', { outTradeNo: 'K000000000000000000000000000000' }, 'ORDER_NOT_FOUND'],
  ['createOrder', 'regex-looking order number', { outTradeNo: '.*' }, 'INVALID_INPUT'],
  ['queryOrder', 'no outTradeNo', {}, 'INVALID_INPUT'],
  ['queryOrder', 'numeric outTradeNo', { outTradeNo: 12345678 }, 'INVALID_INPUT'],
  ['queryOrder', "someone else's order", { outTradeNo: victimOrderPlaceholder() }, 'ORDER_NOT_FOUND'],
  ['queryOrder', 'oversized outTradeNo', { outTradeNo: 'K'.repeat(100_000) }, 'INVALID_INPUT'],
  ...INJECTIONS.flatMap((op): Array<[string, string, unknown, string]> => [
    ['createOrder', `productId ${JSON.stringify(op)}`, line({ productId: op }), 'INVALID_INPUT'],
    ['createOrder', `quantity ${JSON.stringify(op)}`, line({ quantity: op }), 'INVALID_INPUT'],
    ['createOrder', `clientOrderKey ${JSON.stringify(op)}`, { ...line({}), clientOrderKey: op }, 'INVALID_INPUT'],
    ['createOrder', `outTradeNo ${JSON.stringify(op)}`, { outTradeNo: op }, 'INVALID_INPUT'],
    ['queryOrder', `outTradeNo ${JSON.stringify(op)}`, { outTradeNo: op }, 'INVALID_INPUT'],
  ]),
  ...INJECTION_STRINGS.flatMap((s): Array<[string, string, unknown, string]> => [
    ['createOrder', `productId ${JSON.stringify(s)}`, line({ productId: s }), 'INVALID_INPUT'],
    ['queryOrder', `outTradeNo ${JSON.stringify(s)}`, { outTradeNo: s }, 'INVALID_INPUT'],
  ]),
];

/** The victim's order number is only known after beforeAll; cases hold a marker replaced at call time. */
function victimOrderPlaceholder(): string {
  return '__VICTIM_ORDER__';
}
function resolve(data: unknown): unknown {
  return JSON.parse(JSON.stringify(data).replace(/__VICTIM_ORDER__/g, victimOrder));
}

const snapshot = async () => JSON.stringify([await readAll(h.stack.admin, 'orders'), await readAll(h.stack.admin, 'payment_events'), await readAll(h.stack.admin, 'products')]);

it(`${CASES.length} hostile inputs: each its documented code, not retryable, nothing written`, async () => {
  const before = await snapshot();
  const got: string[] = [];
  const want: string[] = [];
  for (const [fn, name, data, code] of CASES) {
    const res = await fetch(`${h.stack.cloudbaseUrl}/functions/${fn}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: resolve(data), openid: EVE }),
    });
    // The answer never echoes a hostile value back in bulk (oversized inputs stay out of replies).
    const text = await res.text();
    const payload = JSON.parse(text);
    const error = payload.code ? { code: `platform:${payload.code}`, retryable: false } : payload.result?.error;
    got.push(`${fn} ${name}: ${error?.code} retryable=${error?.retryable} ${text.length < 1000 ? (error ? 'short' : text.slice(0, 300)) : `LONG ${text.slice(0, 200)}`}`);
    want.push(`${fn} ${name}: ${code} retryable=false short`);
  }
  expect(got).toEqual(want);
  expect(await snapshot()).toBe(before);
});

it('client-sent prices, amounts and openids are ignored: the server prices, the platform identifies', async () => {
  const created = await h.call('createOrder', { items: [{ productId: 'tea', quantity: 1, price: 1, unitPrice: 1 }], amount: { total: 1 }, openid: VICTIM, _openid: VICTIM }, EVE);
  const order = await h.order(created.outTradeNo);
  expect(order).toMatchObject({ openid: EVE, amount: { total: 1200, currency: 'CNY' } });
});
