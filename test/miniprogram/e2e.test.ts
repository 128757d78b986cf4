/** @jest-environment jsdom */
// End to end: the built mini-program pages, with the wx shim forwarding wx.cloud.callFunction to the
// real CloudBase emulator's /functions/{name} (real functions, real wx-server-sdk) and
// wx.requestPayment to the real WeChat Pay simulator's payer. The stack runs in a child process.
import { join } from 'path';
import { readFileSync } from 'fs';
import { httpBackend } from './support/backends';
import { httpRequest } from './support/http';
import { buildForTest, loadPage, tap, TestBuild, text, waitFor } from './support/pages';
import { installWx, WxShim } from './support/wxShim';
import { startStackProcess, type StackUrls } from './support/stack-process';

const REPO = join(__dirname, '..', '..');
let stack: Awaited<ReturnType<typeof startStackProcess>> | undefined;
let urls: StackUrls;
let built: TestBuild;
let checkout: ReturnType<typeof loadPage>;
let result: ReturnType<typeof loadPage>;
let orders: ReturnType<typeof loadPage>;
let products: ReturnType<typeof loadPage>;
let shim: WxShim | undefined;


beforeAll(async () => {
  stack = await startStackProcess('mp-e2e');
  urls = stack.urls;
  built = buildForTest();
  checkout = loadPage(built.outDir, 'pages/checkout/index');
  result = loadPage(built.outDir, 'pages/result/index');
  orders = loadPage(built.outDir, 'pages/orders/index');
  products = loadPage(built.outDir, 'pages/products/index');
}, 120000);
afterEach(() => shim && shim.restore());
afterAll(async () => {
  if (built) built.cleanup();
  await stack?.stop();
}, 30000);

function queryOf(url: string): Record<string, string> {
  const q: Record<string, string> = {};
  for (const part of url.split('?')[1].split('&')) {
    const [k, v] = part.split('=');
    q[k] = decodeURIComponent(v);
  }
  return q;
}

async function ordersInDb(openid: string): Promise<any[]> {
  return (await httpBackend({ functionsUrl: urls.cloudbaseUrl, openid }).callFunction('listOrders', {}) as any).orders;
}

describe('mini-program against the real local stack', () => {
  it('the products page shows the seeded pictures from cloud storage, through temporary links the emulator serves', async () => {
    shim = installWx(httpBackend({ functionsUrl: urls.cloudbaseUrl, openid: 'oE2EBrowser0000000000000000' }));
    const page = products();
    page.instance.onLoad({});
    await waitFor(() => !page.data.loading, 'products loaded', 20000);
    const rows = page.data.rows as Array<{ _id: string; imageUrl: string }>;
    expect(rows.map((r) => r._id)).toEqual(['beans', 'cake', 'coffee', 'giftcard', 'tea']);
    expect(page.querySelectorAll('.product-image')).toHaveLength(5);
    const coffee = rows.find((r) => r._id === 'coffee')!;
    expect(coffee.imageUrl.startsWith(`${urls.cloudbaseUrl}/storage/`)).toBe(true);
    const served = await httpRequest('GET', coffee.imageUrl);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/svg+xml');
    expect(served.text).toBe(readFileSync(join(REPO, 'scripts', 'local', 'seed-images', 'coffee.svg'), 'utf8'));
    // The link is the grant: without its signature the emulator refuses, like COS.
    expect((await httpRequest('GET', coffee.imageUrl.split('?')[0])).status).toBe(403);
  }, 60000);

  it('a tap on Pay ends with the order SUCCESS in the database and the pages showing it paid', async () => {
    const openid = 'oE2EPayer000000000000000001';
    shim = installWx(httpBackend({ functionsUrl: urls.cloudbaseUrl, simulatorUrl: urls.simulatorUrl, openid }));
    const page = checkout();
    page.instance.onLoad({ items: encodeURIComponent('coffee:2,cake:1') });
    await waitFor(() => !page.data.loading, 'checkout loaded', 20000);
    expect(text(page, '.total')).toBe('¥62.50'); // 2 × 18.00 + 26.50 from the seeded catalogue
    await tap(page, '.pay');
    await waitFor(() => shim!.navigations.length > 0, 'result navigation', 20000);
    const q = queryOf(shim.navigations[0].url);
    expect(q).toMatchObject({ outcome: 'paid', total: '6250' });

    const db = await ordersInDb(openid);
    expect(db).toHaveLength(1);
    expect(db[0]).toMatchObject({ outTradeNo: q.outTradeNo, status: 'SUCCESS', amount: { total: 6250, currency: 'CNY' } });

    const shown = result();
    shown.instance.onLoad(q);
    expect(text(shown, '.title')).toBe('支付成功');
    expect(text(shown, '.amount')).toBe('¥62.50');

    const list = orders();
    list.instance.onLoad({});
    await waitFor(() => !list.data.loading, 'orders loaded', 20000);
    expect(text(list, '.order-status')).toBe('已支付');
  }, 60000);

  it('cancel leaves the order unpaid; "Pay again" on the result page pays the same order', async () => {
    const openid = 'oE2EPayer000000000000000002';
    let payResult: 'CANCEL' | 'SUCCESS' = 'CANCEL';
    shim = installWx(httpBackend({ functionsUrl: urls.cloudbaseUrl, simulatorUrl: urls.simulatorUrl, openid, payResult: () => payResult }));
    const page = checkout();
    page.instance.onLoad({ items: encodeURIComponent('tea:1') });
    await waitFor(() => !page.data.loading, 'checkout loaded', 20000);
    await tap(page, '.pay');
    await waitFor(() => shim!.navigations.length > 0, 'result navigation', 20000);
    const q = queryOf(shim.navigations[0].url);
    expect(q.outcome).toBe('cancelled');
    expect((await ordersInDb(openid))[0].status).toBe('NOTPAY');

    payResult = 'SUCCESS';
    const shown = result();
    shown.instance.onLoad(q);
    await tap(shown, '.pay-again');
    await waitFor(() => !shown.data.busy, 'pay again finished', 20000);
    expect(shown.data.kind).toBe('paid');
    const db = await ordersInDb(openid);
    expect(db).toHaveLength(1);
    expect(db[0]).toMatchObject({ outTradeNo: q.outTradeNo, status: 'SUCCESS' });
  }, 60000);

  it('a local-mode build (MP_TARGET=local) pays over wx.request to the same stack, as in DevTools', async () => {
    const openid = 'oE2ELocalDev0000000000000003';
    const local = buildForTest({ MP_TARGET: 'local', MP_FUNCTIONS_URL: urls.cloudbaseUrl, MP_SIMULATOR_URL: urls.simulatorUrl, MP_DEV_OPENID: openid });
    try {
      const refuse = async () => { throw new Error('a local build must not use wx.cloud or wx.requestPayment'); };
      shim = installWx({ callFunction: refuse, requestPayment: refuse });
      const page = loadPage(local.outDir, 'pages/checkout/index')();
      page.instance.onLoad({ items: encodeURIComponent('beans:1') });
      await waitFor(() => !page.data.loading, 'checkout loaded', 20000);
      await tap(page, '.pay');
      await waitFor(() => shim!.navigations.length > 0, 'result navigation', 20000);
      const q = queryOf(shim.navigations[0].url);
      expect(q).toMatchObject({ outcome: 'paid', total: '8800' });
      expect(shim.modals).toHaveLength(1);
      expect(shim.functions).toEqual([]);
      expect((await ordersInDb(openid))[0]).toMatchObject({ outTradeNo: q.outTradeNo, status: 'SUCCESS' });
    } finally {
      local.cleanup();
    }
  }, 60000);
});
