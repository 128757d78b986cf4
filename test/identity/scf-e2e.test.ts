/**
 * The SCF HTTP identity path end to end, offline: the real local stack (esbuild-built functions,
 * CloudBase emulator, WeChat Pay simulator) with the functions in IDENTITY_MODE=session, invoked as
 * HTTP events through routes like /fn/login — the way a mini-program reaches SCF function URLs.
 * wx.login's code is minted by the simulator, which also answers /sns/jscode2session.
 */
import { createHmac } from 'crypto';
import { buildNotification } from '../../lib/wechatpay';
import { signSessionToken } from '../../lib/functions/session';
import { startHarness, type Harness } from '../e2e/harness';
import { SESSION_SECRET } from './helpers';

jest.setTimeout(60_000);

const ALICE = 'oALICE0000000000000000SCF01';
const BOB = 'oBOB00000000000000000000SCF2';
const FUNCTIONS = ['login', 'createOrder', 'queryOrder', 'listProducts', 'listOrders'];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    functionEnv: { IDENTITY_MODE: 'session', SESSION_TOKEN_SECRET: SESSION_SECRET, WX_APP_SECRET: 'dev-app-secret-not-a-real-one', SESSION_TTL_SECONDS: '600' },
    routes: Object.fromEntries(FUNCTIONS.map((f) => [`/fn/${f}`, f])),
  });
});
afterAll(async () => {
  await h?.close();
});
afterEach(async () => {
  await h.sim('POST', '/__sim/faults', {});
});

interface Answer {
  status: number;
  result: any;
}

/** wx.request as the http transport makes it: POST {data}, Authorization: Bearer. */
async function fn(name: string, data: unknown, token?: string, extraBody: object = {}): Promise<Answer> {
  const res = await fetch(`${h.stack.cloudbaseUrl}/fn/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ ...extraBody, data }),
  });
  const body = (await res.json()) as { result: unknown };
  return { status: res.status, result: body.result };
}

async function mintCode(openid: string): Promise<string> {
  return (await h.sim('POST', '/__sim/login-code', { openid, appid: h.stack.credentials.appid })).code;
}

async function login(openid: string): Promise<string> {
  const r = await fn('login', { code: await mintCode(openid) });
  expect(r.status).toBe(200);
  expect(r.result.openid).toBe(openid);
  return r.result.token;
}

async function paidAndNotified(outTradeNo: string): Promise<any> {
  return h.waitFor('order SUCCESS', async () => {
    const order = await h.order(outTradeNo);
    return order?.status === 'SUCCESS' && order;
  });
}

describe('SCF function URLs with session tokens', () => {
  it('wx.login code → login → token → createOrder → pay → notify → queryOrder SUCCESS', async () => {
    const token = await login(ALICE);
    const products = await fn('listProducts', {}, token);
    expect(products.status).toBe(200);
    expect(products.result.products.map((p: any) => p._id)).toContain('coffee');

    const created = await fn('createOrder', { items: [{ productId: 'coffee', quantity: 2 }] }, token);
    expect(created.status).toBe(200);
    expect(created.result.amount).toEqual({ total: 3600, currency: 'CNY' });
    const paid = await h.sim('POST', '/__sim/pay', { ...created.result.payment, result: 'SUCCESS' });
    expect(paid.trade_state).toBe('SUCCESS');
    const order = await paidAndNotified(created.result.outTradeNo);
    expect(order.openid).toBe(ALICE);

    const confirmed = await fn('queryOrder', { outTradeNo: created.result.outTradeNo }, token);
    expect(confirmed).toMatchObject({ status: 200, result: { outTradeNo: created.result.outTradeNo, status: 'SUCCESS' } });
    const mine = await fn('listOrders', {}, token);
    expect(mine.result.orders.map((o: any) => o.outTradeNo)).toContain(created.result.outTradeNo);
    expect(await h.stack.admin.count('users', { _id: ALICE })).toBe(1); // login kept the users record
  });

  it('an openid in the body is ignored: the order belongs to the token holder', async () => {
    const token = await login(ALICE);
    const created = await fn('createOrder', { items: [{ productId: 'tea', quantity: 1 }], openid: BOB }, token, { openid: BOB });
    expect(created.status).toBe(200);
    expect((await h.order(created.result.outTradeNo)).openid).toBe(ALICE);
    const noToken = await fn('createOrder', { items: [{ productId: 'tea', quantity: 1 }], openid: BOB }, undefined, { openid: BOB });
    expect([noToken.status, noToken.result.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    // Bob cannot see Alice's order with his own token either.
    const bob = await login(BOB);
    expect((await fn('queryOrder', { outTradeNo: created.result.outTradeNo }, bob)).result.error.code).toBe('ORDER_NOT_FOUND');
  });

  it('forged, foreign-secret and expired tokens are refused with 401 UNAUTHENTICATED and change nothing', async () => {
    const appid = h.stack.credentials.appid;
    const real = await login(ALICE);
    const [v, , sig] = real.split('.');
    const claims = Buffer.from(JSON.stringify({ openid: BOB, appid, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
    const wrongSecret = createHmac('sha256', 'x'.repeat(32)).update(`v1.${claims}`).digest('base64url');
    const expired = signSessionToken({ secret: Buffer.from(SESSION_SECRET), openid: ALICE, appid, ttlSeconds: 60, now: Date.now() - 61_000 }).token;
    const before = await h.stack.admin.count('orders', {});
    for (const [token, message] of [[`${v}.${claims}.${sig}`, /signature/], [`v1.${claims}.${wrongSecret}`, /signature/], [expired, /expired/], ['garbage', /malformed/]] as const) {
      const r = await fn('createOrder', { items: [{ productId: 'coffee', quantity: 1 }] }, token);
      expect([r.status, r.result.error.code]).toEqual([401, 'UNAUTHENTICATED']);
      expect(r.result.error.message).toMatch(message);
    }
    expect(await h.stack.admin.count('orders', {})).toBe(before);
  });

  it('a used code (40163) and an invalid code (40029) are clear 401s; a missing code is 400', async () => {
    const code = await mintCode(ALICE);
    expect((await fn('login', { code })).status).toBe(200);
    const used = await fn('login', { code });
    expect([used.status, used.result.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(used.result.error.message).toMatch(/already used \(WeChat errcode 40163\)/);
    const invalid = await fn('login', { code: 'f00dfeedf00dfeedf00dfeedf00dfeed' });
    expect([invalid.status, invalid.result.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(invalid.result.error.message).toMatch(/invalid or expired \(WeChat errcode 40029\)/);
    const missing = await fn('login', {});
    expect([missing.status, missing.result.error.code]).toEqual([400, 'INVALID_INPUT']);
  });

  it('the WeChat Cloud path (platform openid) is not trusted by a session deployment', async () => {
    const r = await h.call('createOrder', { items: [{ productId: 'coffee', quantity: 1 }] }, ALICE);
    expect(r.error.code).toBe('UNAUTHENTICATED');
  });

  it('payNotify accepts the SCF function-URL event shape: a verified notification marks the order paid', async () => {
    const token = await login(ALICE);
    const created = (await fn('createOrder', { items: [{ productId: 'cake', quantity: 1 }] }, token)).result;
    // The simulator's own deliveries are lost, so only our function-URL event can mark the order paid.
    await h.sim('POST', '/__sim/faults', { dropNotifications: 1 });
    await h.sim('POST', '/__sim/pay', { ...created.payment, result: 'SUCCESS' });
    const { transactions } = await h.sim('GET', '/__sim/transactions');
    const tx = transactions.find((t: any) => t.out_trade_no === created.outTradeNo);
    const c = h.stack.credentials;
    const id = `scf-${Date.now()}`;
    const { headers, body } = buildNotification({
      id, eventType: 'TRANSACTION.SUCCESS', apiV3Key: c.apiV3Key, privateKey: c.platform.privateKey, serial: c.platform.serial, now: Date.now(),
      resource: {
        appid: tx.appid, mchid: tx.mchid, out_trade_no: tx.out_trade_no, transaction_id: tx.transaction_id, trade_type: 'JSAPI',
        trade_state: 'SUCCESS', trade_state_desc: 'ok', bank_type: 'OTHERS', success_time: tx.success_time, payer: tx.payer,
        amount: { total: tx.amount.total, payer_total: tx.amount.total, currency: 'CNY', payer_currency: 'CNY' },
      },
    });
    // Exactly what SCF hands a function behind a function URL: lower-case headers, plain body, queryString.
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const event = { body, headers: { ...lower, 'content-type': 'application/json' }, httpMethod: 'POST', path: '/', queryString: {} };
    const tampered = { ...event, body: body.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESS" ') };
    expect((await h.call('payNotify', tampered, 'o-unused')).statusCode).toBe(401);
    expect((await h.call('payNotify', event, 'o-unused')).statusCode).toBe(204);
    const order = await h.order(created.outTradeNo);
    expect(order.status).toBe('SUCCESS');
    const logged = await h.stack.admin.find('payment_events', { outTradeNo: created.outTradeNo });
    expect(logged.some((e: any) => e.kind === 'notification' && JSON.stringify(e).includes(id))).toBe(true);
    expect((await fn('queryOrder', { outTradeNo: created.outTradeNo }, token)).result.status).toBe('SUCCESS');
  });

  it('keeps the session key, both secrets and every issued token out of the logs and the answers', async () => {
    const token = await login(ALICE);
    const second = await fn('login', { code: await mintCode(BOB) });
    // The login answer is exactly the identity and the token: no session_key, nothing else.
    expect(Object.keys(second.result).sort()).toEqual(['expiresAt', 'openid', 'token']);
    await fn('listOrders', {}, token);
    await fn('listOrders', {}, `${token}x`);
    const logs = h.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [token, second.result.token, SESSION_SECRET, 'dev-app-secret-not-a-real-one']) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toMatch(/session_key/);
  });
});

