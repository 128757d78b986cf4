/** @jest-environment jsdom */
// My orders on the built output: states, refunds, paying an unpaid order again.
import { scriptedBackend } from './support/backends';
import { created, fnError } from './support/fixtures';
import { builtPage, tap, tapNow, text, waitFor } from './support/pages';
import type { WxShim } from './support/wxShim';

const mp = builtPage('pages/orders/index');
let shim: WxShim | undefined;

const amount = (total: number) => ({ total, currency: 'CNY' });
const ORDERS = [
  { outTradeNo: 'A1', status: 'NOTPAY', amount: amount(1800), createdAt: '2026-12-01T16:05:00.000Z', items: [{ productId: 'coffee', name: 'Coffee', unitPrice: 1800, quantity: 1 }] },
  { outTradeNo: 'A2', status: 'SUCCESS', amount: amount(3600), items: [{ productId: 'coffee', name: 'Coffee', unitPrice: 1800, quantity: 2 }] },
  { outTradeNo: 'A3', status: 'REFUND', amount: amount(990), items: [{ productId: 'tea', quantity: 1 }] },
  { outTradeNo: 'A4', status: 'SUCCESS', amount: amount(1000), refundedTotal: 300, items: [] },
  { outTradeNo: 'A5', status: 'CLOSED', amount: amount(500) },
];

async function open(handlers: Parameters<typeof scriptedBackend>[0]) {
  const backend = scriptedBackend(handlers);
  shim = mp.install(backend);
  const page = mp.render();
  page.instance.onLoad({});
  await waitFor(() => !page.data.loading, 'orders loaded');
  return { page, backend };
}

describe('my orders page', () => {
  it('lists orders with status words, amounts, items and refunds; only NOTPAY can be paid', async () => {
    const { page } = await open({ listOrders: () => ({ orders: ORDERS }) });
    const col = (sel: string) => page.querySelectorAll(sel).map((n: any) => String(n.dom.textContent).trim());
    expect(col('.order-status')).toEqual(['待支付', '已支付', '已退款', '已支付', '已关闭']);
    // 16:05 UTC is 00:05 the next day in China, whatever time zone the test machine is in.
    expect(col('.order-time')).toEqual(['下单时间 2026-12-02 00:05']);
    expect(shim!.titles).toEqual(['我的订单']);
    expect(col('.order-total')).toEqual(['¥18.00', '¥36.00', '¥9.90', '¥10.00', '¥5.00']);
    expect(col('.order-items')).toEqual(['Coffee × 1', 'Coffee × 2', 'tea × 1', '', '']);
    expect(col('.order-refund')).toEqual(['已退款 ¥9.90', '已退款 ¥3.00（订单共 ¥10.00）']);
    expect(page.querySelectorAll('.order-pay')).toHaveLength(1);
  });

  it('shows refunds that are in progress, stuck or closed, not only settled ones', async () => {
    const at = '2026-11-25T10:00:00.000Z';
    const refunds = [
      { outTradeNo: 'R1', status: 'SUCCESS', amount: amount(3600), refundPending: 1000, refunds: [{ amount: 1000, status: 'PROCESSING', requestedAt: at }] },
      { outTradeNo: 'R2', status: 'SUCCESS', amount: amount(3600), refundPending: 2000, refunds: [{ amount: 2000, status: 'ABNORMAL', requestedAt: at }] },
      {
        outTradeNo: 'R3', status: 'SUCCESS', amount: amount(3600), refundedTotal: 600, refundPending: 1234,
        refunds: [{ amount: 3600, status: 'CLOSED', requestedAt: at }, { amount: 600, status: 'SUCCESS', requestedAt: at }, { amount: 1234, status: 'PROCESSING', requestedAt: at }],
      },
      // A server that reports only the held total.
      { outTradeNo: 'R4', status: 'SUCCESS', amount: amount(1000), refundPending: 500 },
    ];
    const { page } = await open({ listOrders: () => ({ orders: refunds }) });
    const col = (sel: string) => page.querySelectorAll(sel).map((n: any) => String(n.dom.textContent).trim());
    expect(col('.order-refund-state')).toEqual([
      '退款中：¥10.00',
      '退款 ¥20.00 未成功，请联系商家处理',
      '退款 ¥36.00 已关闭，款项未退回',
      '退款中：¥12.34',
      '退款中：¥5.00',
    ]);
    expect(col('.refund-failed')).toEqual(['退款 ¥20.00 未成功，请联系商家处理']);
    expect(col('.refund-closed')).toEqual(['退款 ¥36.00 已关闭，款项未退回']);
    // Settled refunds keep their own line.
    expect(col('.order-refund')).toEqual(['已退款 ¥6.00（订单共 ¥36.00）']);
    // Each line sits in its own order's card.
    const cards = page.querySelectorAll('.order').map((n: any) => String(n.dom.textContent));
    expect(cards[1]).toContain('R2');
    expect(cards[1]).toContain('未成功，请联系商家处理');
    expect(page.querySelectorAll('.order-status').map((n: any) => String(n.dom.textContent).trim())).toEqual(['已支付', '已支付', '已支付', '已支付']);
  });

  it('says when there are no orders, and shows a plain-words error with retry on failure', async () => {
    const { page } = await open({ listOrders: (_d, n) => (n === 0 ? fnError('INTERNAL') : { orders: [] }) });
    expect(text(page, '.error-text')).toBe('系统开小差了，请稍后重试。');
    await tap(page, '.retry');
    await waitFor(() => text(page, '.empty') !== '', 'empty state');
    expect(text(page, '.empty')).toBe('还没有订单');
  });

  it('pays an unpaid order again with createOrder({outTradeNo}) and refreshes the list', async () => {
    let paid = false;
    const { page, backend } = await open({
      listOrders: () => ({ orders: [{ ...ORDERS[0], status: paid ? 'SUCCESS' : 'NOTPAY' }] }),
      createOrder: () => created('A1', 1800),
      queryOrder: () => {
        paid = true; // the server has confirmed: the refreshed list shows it
        return { outTradeNo: 'A1', status: 'SUCCESS', amount: amount(1800) };
      },
    });
    await tap(page, '.order-pay');
    await waitFor(() => backend.counts.listOrders === 2 && !page.data.payingNo, 'list refreshed');
    expect(shim!.functions.find((f) => f.name === 'createOrder')!.data).toEqual({ outTradeNo: 'A1' });
    expect(shim!.toasts).toEqual([{ title: '支付成功', icon: 'success' }]);
    expect(text(page, '.order-status')).toBe('已支付');
  });

  it('a cancelled pay-again tells the user and keeps the order payable', async () => {
    const { page, backend } = await open({ listOrders: () => ({ orders: [ORDERS[0]] }), createOrder: () => created('A1', 1800) });
    backend.pay = () => Promise.reject({ errMsg: 'requestPayment:fail cancel' });
    await tap(page, '.order-pay');
    await waitFor(() => backend.counts.listOrders === 2 && !page.data.payingNo, 'list refreshed');
    expect(shim!.toasts).toEqual([{ title: '已取消支付', icon: 'none' }]);
    expect(page.querySelectorAll('.order-pay')).toHaveLength(1);
  });

  it('no double submit: one payment at a time on the page', async () => {
    const two = [ORDERS[0], { ...ORDERS[0], outTradeNo: 'B1' }];
    const { page, backend } = await open({ listOrders: () => ({ orders: two }), createOrder: (d) => created(d.outTradeNo, 1800), queryOrder: (d) => ({ outTradeNo: d.outTradeNo, status: 'SUCCESS', amount: amount(1800) }) });
    tapNow(page, '.order-pay', 0);
    tapNow(page, '.order-pay', 0);
    tapNow(page, '.order-pay', 1);
    await waitFor(() => backend.counts.listOrders === 2 && !page.data.payingNo, 'list refreshed');
    expect(backend.counts.createOrder).toBe(1);
    expect(shim!.payments).toHaveLength(1);
  });

  it('an error paying again is shown in plain words', async () => {
    const { page, backend } = await open({ listOrders: () => ({ orders: [ORDERS[0]] }), createOrder: () => fnError('ORDER_NOT_PAYABLE') });
    await tap(page, '.order-pay');
    await waitFor(() => backend.counts.listOrders === 2 && !page.data.payingNo, 'list refreshed');
    expect(shim!.toasts.map((t) => t.title)).toEqual(['这笔订单已不能支付，请重新下单。']);
  });
});
