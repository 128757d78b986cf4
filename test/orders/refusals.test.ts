/**
 * createOrder against the real simulator and the CloudBase emulator (wx-server-sdk): a refusal that
 * retrying cannot heal is PAYMENT_REJECTED (retryable: false, an alert with WeChat's code and
 * message), not "try again"; timeouts, 5xx and FREQUENCY_LIMITED stay PAYMENT_PROVIDER_UNAVAILABLE.
 * And a clientOrderKey reused for a different basket is refused with nothing written.
 */
import type { WechatSimulator } from '../../emulator/wechat';
import { AppError } from '../../lib/errors';
import type { LogEvent } from '../../lib/log';
import { createOrder } from '../../lib/orders/create';
import type { OrderDeps } from '../../lib/orders/deps';
import { COLLECTIONS } from '../../lib/store/collections';
import { createWechatPayClient } from '../../lib/wechatpay';
import type { Harness } from '../cloudbase/helpers';
import { startOrderWorld, type OrderWorld } from '../support/order-world';

jest.setTimeout(60_000);

const OPENID = 'oREFUSAL0000000000000000001';
let cb: Harness;
let sim: WechatSimulator;
let client: ReturnType<typeof createWechatPayClient>;
let deps: OrderDeps;
const logged: Array<{ event: LogEvent; fields: Record<string, unknown> }> = [];

let world: OrderWorld;
beforeAll(async () => {
  world = await startOrderWorld({
    products: [{ _id: 'tea', name: 'Tea', price: 1200, active: true }, { _id: 'cake', name: 'Cake', price: 800, active: true }],
    client: { retryBaseDelayMs: 1 },
    deps: { log: (event, fields = {}) => void logged.push({ event, fields }) },
  });
  ({ cb, sim, client, deps } = world);
});
afterAll(() => world?.close());
beforeEach(async () => {
  logged.length = 0;
  await fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
});

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}
const tea = (quantity = 1) => ({ kind: 'new' as const, items: [{ productId: 'tea', quantity }] });

describe('permanent refusals are not "try again"', () => {
  it('APPID_MCHID_NOT_MATCH (a WX_APPID not bound to the mchid) → PAYMENT_REJECTED, not retryable, alerted with WeChat\'s code and message', async () => {
    const wrongAppid = { ...deps, merchant: { ...deps.merchant, appid: 'wx00000000000000aa' } };
    const err = await failure(createOrder(wrongAppid, OPENID, tea()));
    expect({ code: err.code, retryable: err.retryable }).toEqual({ code: 'PAYMENT_REJECTED', retryable: false });
    expect(err.message).toMatch(/will not help/);
    expect(err.message).not.toMatch(/APPID|mchid|wx0/); // customer words, no configuration detail
    expect(logged).toContainEqual({ event: 'order.payment_rejected', fields: expect.objectContaining({ code: 'APPID_MCHID_NOT_MATCH', httpStatus: 400, message: expect.stringMatching(/not bound/) }) });
  });

  it('PARAM_ERROR → PAYMENT_REJECTED', async () => {
    const err = await failure(createOrder({ ...deps, merchant: { ...deps.merchant, notifyUrl: 'https://notify.example.test/pay?x=1' } }, OPENID, tea(2)));
    expect({ code: err.code, retryable: err.retryable }).toEqual({ code: 'PAYMENT_REJECTED', retryable: false });
  });

  it.each([
    ['SYSTEM_ERROR (500)', { systemErrorRate: 1 }],
    ['FREQUENCY_LIMITED (429)', { frequencyLimitRate: 1 }],
  ])('%s stays PAYMENT_PROVIDER_UNAVAILABLE, retryable', async (_name, faults) => {
    await fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
    const err = await failure(createOrder(deps, OPENID, tea(3)));
    expect({ code: err.code, retryable: err.retryable }).toEqual({ code: 'PAYMENT_PROVIDER_UNAVAILABLE', retryable: true });
    expect(logged.map((l) => l.event)).not.toContain('order.payment_rejected');
  });
});

describe('clientOrderKey reused with a different basket', () => {
  it('the same basket answers the first order; a different one is IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
    const basket = { kind: 'new' as const, items: [{ productId: 'tea', quantity: 1 }, { productId: 'cake', quantity: 2 }], clientOrderKey: 'checkout-1' };
    const first = await createOrder(deps, OPENID, basket);
    const again = await createOrder(deps, OPENID, { ...basket, items: [...basket.items].reverse() });
    expect(again.outTradeNo).toBe(first.outTradeNo);
    const before = (await cb.db.collection(COLLECTIONS.orders).doc(first.outTradeNo).get()).data;
    const count = (await cb.db.collection(COLLECTIONS.orders).count()).total;

    const err = await failure(createOrder(deps, OPENID, { ...basket, items: [{ productId: 'tea', quantity: 5 }] }));
    expect({ code: err.code, retryable: err.retryable }).toEqual({ code: 'IDEMPOTENCY_KEY_REUSED', retryable: false });
    expect(err.message).toMatch(/new clientOrderKey/);
    expect((await cb.db.collection(COLLECTIONS.orders).count()).total).toBe(count);
    expect((await cb.db.collection(COLLECTIONS.orders).doc(first.outTradeNo).get()).data).toEqual(before);
    // Another user's same key is their own order.
    expect((await createOrder(deps, 'oREFUSAL0000000000000000002', { ...basket, items: [{ productId: 'tea', quantity: 5 }] })).outTradeNo).not.toBe(first.outTradeNo);
  });
});
