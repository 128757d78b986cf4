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

describe('login', () => {
  it('WeChat Cloud (wxcontext): hostile data is ignored, the caller is the platform\'s, no record for anyone else', async () => {
    const hostile: unknown[] = [
      { openid: VICTIM }, { _openid: VICTIM, code: 'x' }, { openid: { $ne: null } }, { code: { $regex: '.*' } },
      { code: 'x'.repeat(1_000_000) }, ['a'], { $where: 'sleep(1000)' }, JSON.parse(`{"__proto__": {"openid": "${VICTIM}"}}`),
    ];
    for (const data of hostile) {
      const res = await fetch(`${h.stack.cloudbaseUrl}/functions/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data, openid: EVE }),
      });
      expect(((await res.json()) as { result: unknown }).result).toEqual({ openid: EVE });
    }
    const users = await readAll(h.stack.admin, 'users');
    expect(users.map((u) => u._id)).toEqual([EVE]);
  });

  describe('SCF function URL (IDENTITY_MODE=session): hostile {code}', () => {
    let s: Harness;
    let usedCode: string;
    beforeAll(async () => {
      s = await startHarness({
        build: false,
        functionTimeoutMs: 20_000,
        functionEnv: { IDENTITY_MODE: 'session', SESSION_TOKEN_SECRET: 'inputs-session-secret-0123456789abcdef0123', WX_APP_SECRET: 'inputs-app-secret-not-real' },
        routes: { '/fn/login': 'login' },
      });
      // A code spent on a genuine login, to be replayed below.
      usedCode = (await s.sim('POST', '/__sim/login-code', { openid: VICTIM, appid: s.stack.credentials.appid })).code;
      expect((await post(s, { data: { code: usedCode } })).status).toBe(200);
    });
    afterAll(async () => {
      await s?.close();
    });

    async function post(harness: Harness, body: unknown, init: { method?: string; raw?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; text: string }> {
      const res = await fetch(`${harness.stack.cloudbaseUrl}/fn/login`, {
        method: init.method ?? 'POST',
        headers: { 'content-type': 'application/json', ...init.headers },
        ...(init.method === 'GET' ? {} : { body: init.raw ?? JSON.stringify(body) }),
      });
      return { status: res.status, text: await res.text() };
    }

    it('each gets its documented code, no token, nothing written', async () => {
      const foreignCode = (await s.sim('POST', '/__sim/login-code', { openid: EVE, appid: 'wx0000000000000000' })).code;
      const cases: Array<[string, () => Promise<{ status: number; text: string }>, string]> = [
        ['no code', () => post(s, { data: {} }), 'INVALID_INPUT'],
        ['no data', () => post(s, {}), 'INVALID_INPUT'],
        ['data null', () => post(s, { data: null }), 'INVALID_INPUT'],
        ['numeric code', () => post(s, { data: { code: 12345 } }), 'INVALID_INPUT'],
        ['code an array', () => post(s, { data: { code: ['abc'] } }), 'INVALID_INPUT'],
        ['code {$ne: null}', () => post(s, { data: { code: { $ne: null } } }), 'INVALID_INPUT'],
        ['empty code', () => post(s, { data: { code: '' } }), 'INVALID_INPUT'],
        ['query-string injection', () => post(s, { data: { code: 'abc&appid=wx0000000000000000&secret=x' } }), 'INVALID_INPUT'],
        ['path traversal', () => post(s, { data: { code: '../../sns/jscode2session' } }), 'INVALID_INPUT'],
        ['129-character code', () => post(s, { data: { code: 'a'.repeat(129) } }), 'INVALID_INPUT'],
        ['oversized body (1 MB code)', () => post(s, { data: { code: 'a'.repeat(1_000_000) } }), 'INVALID_INPUT'],
        ['body not JSON', () => post(s, undefined, { raw: '{"data": {"code": ' }), 'INVALID_INPUT'],
        ['body an array', () => post(s, undefined, { raw: '[{"code":"abc"}]' }), 'INVALID_INPUT'],
        ['GET', () => post(s, undefined, { method: 'GET' }), 'INVALID_INPUT'],
        ['a well-formed code nobody minted', () => post(s, { data: { code: 'f'.repeat(32) } }), 'UNAUTHENTICATED'],
        ['a code already used', () => post(s, { data: { code: usedCode } }), 'UNAUTHENTICATED'],
        ['a code minted for another app', () => post(s, { data: { code: foreignCode } }), 'UNAUTHENTICATED'],
        ['a used code with the victim\'s openid in the body', () => post(s, { openid: VICTIM, data: { code: usedCode, openid: VICTIM } }), 'UNAUTHENTICATED'],
        ['a forged bearer token instead of a code', () => post(s, { data: {} }, { headers: { authorization: 'Bearer v1.eyJvcGVuaWQiOiJ4In0.AAAA' } }), 'INVALID_INPUT'],
      ];
      const usersBefore = JSON.stringify(await readAll(s.stack.admin, 'users'));
      const got: string[] = [];
      const want: string[] = [];
      for (const [name, send, code] of cases) {
        const { status, text } = await send();
        const error = JSON.parse(text).result?.error;
        got.push(`${name}: ${status} ${error?.code} retryable=${error?.retryable} token=${/token/i.test(text)} short=${text.length < 1000}`);
        want.push(`${name}: ${code === 'INVALID_INPUT' ? 400 : 401} ${code} retryable=false token=false short=true`);
      }
      expect(got).toEqual(want);
      expect(JSON.stringify(await readAll(s.stack.admin, 'users'))).toBe(usersBefore);
    });
  });
});
