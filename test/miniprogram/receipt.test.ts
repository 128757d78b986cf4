/** @jest-environment jsdom */
// After the payment on the built output: a shipped order shows its parcels and 确认收货, which opens
// WeChat's confirm-receipt component; coming back (App.onShow from its appId) only asks the server
// to check (tradeEvents), and the list shows what the server says.
import { join } from 'path';
import { scriptedBackend } from './support/backends';
import { buildForTest, loadPage, tap, TestBuild, waitFor } from './support/pages';
import { installWx, WxShim } from './support/wxShim';

let built: TestBuild;
let shim: WxShim | undefined;
beforeAll(() => {
  built = buildForTest();
  require('miniprogram-simulate'); // provides the base `wx` the shim lays over
});
afterEach(() => shim && shim.restore());
afterAll(() => built.cleanup());

const amount = { total: 8800, currency: 'CNY' };
const items = [{ productId: 'beans', name: 'Beans', unitPrice: 8800, quantity: 1 }];
const shipped = { outTradeNo: 'S1', status: 'SUCCESS', amount, items, fulfilment: { status: 'SHIPPED', kind: 'express', pendingUpload: false, transactionId: '4200000009', parcels: [{ trackingNo: 'YT123', expressCompany: 'YTO', itemDesc: 'Beans x1' }] } };
const settled = { ...shipped, fulfilment: { ...shipped.fulfilment, status: 'SETTLED' } };
const virtualDone = { outTradeNo: 'V1', status: 'SUCCESS', amount, items, fulfilment: { status: 'SHIPPED', kind: 'virtual', pendingUpload: false, transactionId: '4200000010', parcels: [{ itemDesc: 'Card x1' }] } };

it('shows parcels and 确认收货 for a shipped express order only; the button opens weappOrderConfirm; onShow triggers the server check', async () => {
  let checked = false;
  const backend = scriptedBackend({ listOrders: () => ({ orders: [checked ? settled : shipped, virtualDone] }), tradeEvents: () => { checked = true; return { order: settled }; } });
  shim = installWx(backend);
  const page = loadPage(built.outDir, 'pages/orders/index')();
  page.instance.onLoad({});
  await waitFor(() => !page.data.loading, 'orders loaded');
  const col = (sel: string) => page.querySelectorAll(sel).map((n: any) => String(n.dom.textContent).trim());
  expect(col('.order-fulfilment')).toEqual(['已发货', '已发放']);
  expect(col('.order-parcel')).toEqual(['YTO YT123']);
  expect(col('.order-confirm')).toEqual(['确认收货']);

  await tap(page, '.order-confirm');
  expect(shim.businessViews).toEqual([{ businessType: 'weappOrderConfirm', extraData: { transaction_id: '4200000009' } }]);
  expect(shim.functions.map((f) => f.name)).toEqual(['listOrders']); // nothing believed yet

  let app: any;
  (globalThis as any).App = (o: unknown) => { app = o; };
  jest.isolateModules(() => require(join(built.outDir, 'app.js')));
  app.onShow({ referrerInfo: { appId: 'wx-someone-else' } });
  expect(shim.functions.some((f) => f.name === 'tradeEvents')).toBe(false);
  app.onShow({ referrerInfo: { appId: 'wx1183b055aeec94d1', extraData: { status: 'success' } } });
  await waitFor(() => checked, 'server check');
  expect(shim.functions.find((f) => f.name === 'tradeEvents')!.data).toEqual({ outTradeNo: 'S1' });

  page.instance.onShow();
  await waitFor(() => col('.order-fulfilment')[0] === '交易完成', 'the server word');
  expect(col('.order-confirm')).toEqual([]);
});
