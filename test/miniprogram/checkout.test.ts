/** @jest-environment jsdom */
// Checkout on the built page: quantities and total, then every way a payment can end.
import { scriptedBackend, ScriptedBackend } from './support/backends';
import { created, fnError, PRODUCTS, state } from './support/fixtures';
import { builtPage, deferred, tap, tapNow, text, waitFor } from './support/pages';
import type { WxShim } from './support/wxShim';

const mp = builtPage('pages/checkout/index');
let shim: WxShim | undefined;

const CART = encodeURIComponent('coffee:2,tea:1');
const TOTAL = 1800 * 2 + 990;

function backendWith(statuses: string[]): ScriptedBackend {
  return scriptedBackend({
    listProducts: () => ({ products: PRODUCTS }),
    createOrder: () => created('T1', TOTAL),
    queryOrder: (_d, n) => state('T1', statuses[Math.min(n, statuses.length - 1)], TOTAL),
  });
}

async function openCheckout(backend: ScriptedBackend) {
  shim = mp.install(backend);
  const page = mp.render();
  page.instance.onLoad({ items: CART });
  await waitFor(() => !page.data.loading, 'checkout loaded');
  return page;
}

function resultUrl(outcome: string) {
  return `/pages/result/index?outTradeNo=T1&outcome=${outcome}&total=${TOTAL}`;
}

describe('checkout page', () => {
  it('shows the lines, quantities and total in yuan; steppers change them', async () => {
    const page = await openCheckout(backendWith(['SUCCESS']));
    expect(page.querySelectorAll('.line-name').map((n: any) => n.dom.textContent)).toEqual(['Coffee', 'Green tea']);
    expect(page.querySelectorAll('.subtotal').map((n: any) => n.dom.textContent)).toEqual(['¥36.00', '¥9.90']);
    expect(text(page, '.total')).toBe('¥45.90');
    await tap(page, '.inc', 1);
    expect(text(page, '.total')).toBe('¥55.80');
    await tap(page, '.dec', 0);
    await tap(page, '.dec', 0);
    expect(page.querySelectorAll('.line')).toHaveLength(1);
    expect(text(page, '.total')).toBe('¥19.80');
  });

  it('drops unknown or inactive products and says so', async () => {
    shim = mp.install(backendWith(['SUCCESS']));
    const page = mp.render();
    page.instance.onLoad({ items: encodeURIComponent('coffee:1,old:1,ghost:2') });
    await waitFor(() => !page.data.loading, 'loaded');
    expect(page.querySelectorAll('.line')).toHaveLength(1);
    expect(shim.toasts.map((t) => t.title)).toEqual(['部分商品已下架，已从购物车移除。']);
  });

  it('paid: createOrder with the cart and an idempotency key, requestPayment with the params, confirmed, result page', async () => {
    const page = await openCheckout(backendWith(['SUCCESS']));
    await tap(page, '.pay');
    await waitFor(() => shim!.navigations.length > 0, 'navigation to result');
    const create = shim!.functions.find((f) => f.name === 'createOrder')!;
    expect(create.data.items).toEqual([{ productId: 'coffee', quantity: 2 }, { productId: 'tea', quantity: 1 }]);
    expect(typeof create.data.clientOrderKey).toBe('string');
    expect(create.data.clientOrderKey.length).toBeGreaterThan(8);
    expect(shim!.payments).toEqual([created('T1', TOTAL).payment]);
    expect(shim!.functions.filter((f) => f.name === 'queryOrder')).toEqual([{ name: 'queryOrder', data: { outTradeNo: 'T1' } }]);
    expect(shim!.navigations).toEqual([{ kind: 'redirectTo', url: resultUrl('paid') }]);
  });

  it('slow confirmation: keeps polling while the order is still NOTPAY, then reports paid', async () => {
    const backend = backendWith(['NOTPAY', 'NOTPAY', 'SUCCESS']);
    const page = await openCheckout(backend);
    await tap(page, '.pay');
    await waitFor(() => shim!.navigations.length > 0, 'navigation to result');
    expect(backend.counts.queryOrder).toBe(3);
    expect(shim!.navigations[0].url).toBe(resultUrl('paid'));
  });

  it('confirmation that never comes in time: reports still confirming (pending) after the last poll', async () => {
    const backend = backendWith(['NOTPAY']);
    const page = await openCheckout(backend);
    await tap(page, '.pay');
    await waitFor(() => shim!.navigations.length > 0, 'navigation to result');
    expect(backend.counts.queryOrder).toBe(4); // once at once, then after each of the 3 test waits
    expect(shim!.navigations[0].url).toBe(resultUrl('pending'));
  });

  it('a failing poll is not a failed payment: polling goes on', async () => {
    const backend = backendWith(['SUCCESS']);
    backend.handlers.queryOrder = (_d, n) => (n === 0 ? fnError('PAYMENT_PROVIDER_UNAVAILABLE') : state('T1', 'SUCCESS', TOTAL));
    const page = await openCheckout(backend);
    await tap(page, '.pay');
    await waitFor(() => shim!.navigations.length > 0, 'navigation to result');
    expect(shim!.navigations[0].url).toBe(resultUrl('paid'));
  });

  it('cancel: "requestPayment:fail cancel" goes to the result as cancelled, not as an error, without querying', async () => {
    const backend = backendWith(['NOTPAY']);
    backend.pay = () => Promise.reject({ errMsg: 'requestPayment:fail cancel' });
    const page = await openCheckout(backend);
    await tap(page, '.pay');
    await waitFor(() => shim!.navigations.length > 0, 'navigation to result');
    expect(shim!.navigations[0].url).toBe(resultUrl('cancelled'));
    expect(backend.counts.queryOrder).toBeUndefined();
    expect(shim!.toasts).toEqual([]);
  });

  it('fail: any other requestPayment failure goes to the result as failed', async () => {
    const backend = backendWith(['NOTPAY']);
    backend.pay = () => Promise.reject({ errMsg: 'requestPayment:fail jsapi has no permission' });
    const page = await openCheckout(backend);
    await tap(page, '.pay');
    await waitFor(() => shim!.navigations.length > 0, 'navigation to result');
    expect(shim!.navigations[0].url).toBe(resultUrl('failed'));
  });

  it('the server saying PAYERROR after the sheet reports failed', async () => {
    const page = await openCheckout(backendWith(['PAYERROR']));
    await tap(page, '.pay');
    await waitFor(() => shim!.navigations.length > 0, 'navigation to result');
    expect(shim!.navigations[0].url).toBe(resultUrl('failed'));
  });

  it('call error: createOrder answering an error shows plain words, stays on the page and can be retried', async () => {
    const backend = backendWith(['SUCCESS']);
    backend.handlers.createOrder = (_d, n) => (n === 0 ? fnError('PAYMENT_PROVIDER_UNAVAILABLE', 'upstream 500 SYSTEM_ERROR') : created('T1', TOTAL));
    const page = await openCheckout(backend);
    await tap(page, '.pay');
    await waitFor(() => shim!.toasts.length > 0, 'error toast');
    expect(shim!.toasts[0].title).toBe('微信支付暂时不可用，请稍后重试。');
    expect(page.data.paying).toBe(false);
    expect(shim!.payments).toEqual([]);
    expect(shim!.navigations).toEqual([]);
    await tap(page, '.pay');
    await waitFor(() => shim!.navigations.length > 0, 'navigation after retry');
    const keys = shim!.functions.filter((f) => f.name === 'createOrder').map((f) => f.data.clientOrderKey);
    expect(keys[0]).toBe(keys[1]); // the same order key: a retry cannot make a second order
  });

  it('call error: a transport failure of callFunction is a network message', async () => {
    const backend = backendWith(['SUCCESS']);
    backend.handlers.createOrder = () => { throw { errMsg: 'cloud.callFunction:fail timeout' }; };
    const page = await openCheckout(backend);
    await tap(page, '.pay');
    await waitFor(() => shim!.toasts.length > 0, 'error toast');
    expect(shim!.toasts[0].title).toBe('网络连接不稳定，请检查网络后重试。');
  });

  it('no double submit: taps while a payment is in flight make one order and one payment', async () => {
    const backend = backendWith(['SUCCESS']);
    const hold = deferred<unknown>();
    backend.handlers.createOrder = () => hold.promise;
    const page = await openCheckout(backend);
    tapNow(page, '.pay');
    tapNow(page, '.pay');
    await tap(page, '.pay');
    expect(page.data.paying).toBe(true);
    expect(text(page, '.busy')).toBe('正在等待支付结果…');
    await tap(page, '.inc', 0); // quantities are frozen while paying
    expect(text(page, '.total')).toBe('¥45.90');
    hold.resolve(created('T1', TOTAL));
    await waitFor(() => shim!.navigations.length > 0, 'navigation to result');
    expect(backend.counts.createOrder).toBe(1);
    expect(shim!.payments).toHaveLength(1);
    expect(shim!.navigations).toHaveLength(1);
  });

  it('a changed cart gets a new idempotency key', async () => {
    const page = await openCheckout(backendWith(['SUCCESS']));
    const before = page.data.orderKey;
    await tap(page, '.inc', 0);
    expect(page.data.orderKey).not.toBe(before);
  });
});
