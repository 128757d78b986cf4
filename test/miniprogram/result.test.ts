/** @jest-environment jsdom */
// Result page on the built output: each outcome's words and next step; pay again; check again.
import { scriptedBackend } from './support/backends';
import { created, fnError, state } from './support/fixtures';
import { builtPage, exists, tap, tapNow, text, waitFor } from './support/pages';
import type { WxShim } from './support/wxShim';

const mp = builtPage('pages/result/index');
let shim: WxShim | undefined;

function open(outcome: string, handlers: Parameters<typeof scriptedBackend>[0] = {}) {
  const backend = scriptedBackend(handlers);
  shim = mp.install(backend);
  const page = mp.render();
  page.instance.onLoad({ outTradeNo: 'T9', outcome, total: '2505' });
  return { page, backend };
}

describe('result page', () => {
  it('paid: says so with the amount, and offers no payment button', () => {
    const { page } = open('paid');
    expect(text(page, '.title')).toBe('支付成功');
    expect(text(page, '.amount')).toBe('¥25.05');
    expect(text(page, '.order-no')).toBe('订单号 T9');
    expect(exists(page, '.pay-again')).toBe(false);
    expect(exists(page, '.check')).toBe(false);
  });

  it('cancelled: calm words (not an error) and "Pay again"', () => {
    const { page } = open('cancelled');
    expect(text(page, '.title')).toBe('已取消支付');
    expect(text(page, '.detail')).toContain('没有扣款');
    expect(exists(page, '.pay-again')).toBe(true);
  });

  it('failed: offers "Pay again"', () => {
    const { page } = open('failed');
    expect(text(page, '.title')).toBe('支付失败');
    expect(exists(page, '.pay-again')).toBe(true);
  });

  it('still confirming: offers "Check again", which updates to paid once the server agrees', async () => {
    const { page, backend } = open('pending', {
      queryOrder: (_d, n) => state('T9', n === 0 ? 'NOTPAY' : 'SUCCESS', 2505),
    });
    expect(text(page, '.title')).toBe('正在确认支付');
    expect(exists(page, '.pay-again')).toBe(false);
    await tap(page, '.check');
    await waitFor(() => !page.data.busy, 'first check');
    expect(text(page, '.title')).toBe('正在确认支付');
    expect(shim!.toasts.map((t) => t.title)).toEqual(['还没有确认到账，请稍后再查一次。']);
    await tap(page, '.check');
    await waitFor(() => page.data.kind === 'paid', 'paid after second check');
    expect(text(page, '.title')).toBe('支付成功');
    expect(backend.counts.queryOrder).toBe(2); // one query per tap, no hidden polling
  });

  it('pay again: createOrder({outTradeNo}) → sheet → confirmed, shown in place', async () => {
    const { page } = open('cancelled', {
      createOrder: () => created('T9', 2505),
      queryOrder: () => state('T9', 'SUCCESS', 2505),
    });
    await tap(page, '.pay-again');
    await waitFor(() => page.data.kind === 'paid', 'paid');
    expect(shim!.functions[0]).toEqual({ name: 'createOrder', data: { outTradeNo: 'T9' } });
    expect(shim!.payments).toHaveLength(1);
    expect(exists(page, '.pay-again')).toBe(false);
  });

  it('pay again that is cancelled again stays payable', async () => {
    const { page, backend } = open('failed', { createOrder: () => created('T9', 2505) });
    backend.pay = () => Promise.reject({ errMsg: 'requestPayment:fail cancel' });
    await tap(page, '.pay-again');
    await waitFor(() => page.data.kind === 'cancelled', 'cancelled');
    expect(exists(page, '.pay-again')).toBe(true);
  });

  it('pay again on an order that can no longer be paid: plain-words toast, nothing else', async () => {
    const { page } = open('failed', { createOrder: () => fnError('ORDER_NOT_PAYABLE', 'status CLOSED') });
    await tap(page, '.pay-again');
    await waitFor(() => shim!.toasts.length > 0, 'toast');
    expect(shim!.toasts[0].title).toBe('这笔订单已不能支付，请重新下单。');
    expect(shim!.payments).toEqual([]);
    expect(page.data.busy).toBe(false);
  });

  it('no double submit on pay again', async () => {
    const { page, backend } = open('cancelled', {
      createOrder: () => created('T9', 2505),
      queryOrder: () => state('T9', 'SUCCESS', 2505),
    });
    tapNow(page, '.pay-again');
    tapNow(page, '.pay-again');
    await waitFor(() => page.data.kind === 'paid', 'paid');
    expect(backend.counts.createOrder).toBe(1);
    expect(shim!.payments).toHaveLength(1);
  });

  it('an unknown outcome in the query is shown as still confirming; links go to orders and shop', async () => {
    shim = mp.install(scriptedBackend({}));
    const page = mp.render();
    page.instance.onLoad({ outTradeNo: 'T9', outcome: '<script>' });
    expect(page.data.kind).toBe('pending');
    expect(exists(page, '.amount')).toBe(false);
    await tap(page, '.orders');
    await tap(page, '.shop');
    expect(shim.navigations).toEqual([
      { kind: 'redirectTo', url: '/pages/orders/index' },
      { kind: 'redirectTo', url: '/pages/products/index' },
    ]);
  });
});
