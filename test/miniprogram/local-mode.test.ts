/** @jest-environment jsdom */
// The local-mode build: the same checkout page calls functions over wx.request to the CloudBase
// emulator's /functions/{name} as the dev openid, and pays through the simulator's payer after a
// confirm dialog. Real HTTP on 127.0.0.1 (see support/fakeStack.ts for the servers' shapes).
import { scriptedBackend } from './support/backends';
import { FakeStack, startFakeStack } from './support/fakeStack';
import { buildForTest, loadPage, tap, TestBuild, waitFor } from './support/pages';
import { installWx, WxShim } from './support/wxShim';

let stack: FakeStack;
let built: TestBuild;
let render: ReturnType<typeof loadPage>;
let shim: WxShim | undefined;

beforeAll(async () => {
  stack = await startFakeStack();
  built = buildForTest({ MP_TARGET: 'local', MP_FUNCTIONS_URL: stack.url, MP_SIMULATOR_URL: stack.url, MP_DEV_OPENID: 'oLocalTester' });
  render = loadPage(built.outDir, 'pages/checkout/index');
});
afterEach(() => shim && shim.restore());
afterAll(async () => {
  built.cleanup();
  await stack.close();
});

// No wx.cloud in local mode: the backend refuses, proving every call went over wx.request.
function noCloud() {
  const backend = scriptedBackend({});
  backend.callFunction = async () => { throw new Error('wx.cloud must not be used in a local build'); };
  backend.requestPayment = async () => { throw new Error('wx.requestPayment must not be used in a local build'); };
  return backend;
}

describe('local-mode build', () => {
  it('pays through the emulator and the simulator after the user confirms', async () => {
    shim = installWx(noCloud());
    const page = render();
    page.instance.onLoad({ items: encodeURIComponent('coffee:2') });
    await waitFor(() => !page.data.loading, 'checkout loaded');
    await tap(page, '.pay');
    await waitFor(() => shim!.navigations.length > 0, 'result');
    expect(shim!.navigations[0].url).toMatch(/outcome=paid&total=3600$/);
    expect(shim!.modals).toEqual([{ title: '模拟微信支付', content: '支付 ¥36.00？（本地模拟器，不产生真实扣款）' }]);
    const paths = stack.requests.map((r) => r.path);
    expect(paths).toEqual(['/functions/listProducts', '/functions/createOrder', '/__sim/pay', '/functions/queryOrder']);
    expect(stack.requests[1].body).toMatchObject({ openid: 'oLocalTester', data: { items: [{ productId: 'coffee', quantity: 2 }] } });
    expect(stack.requests[2].body).toEqual({ prepay_id: 'wx_L1', result: 'SUCCESS' });
    expect(shim!.functions).toEqual([]);
    expect(shim!.payments).toEqual([]);
  });

  it('declining the dialog is a cancel: the simulator is not asked and the order stays unpaid', async () => {
    shim = installWx(noCloud());
    shim.modalConfirms = false;
    stack.requests.length = 0;
    const page = render();
    page.instance.onLoad({ items: encodeURIComponent('tea:1') });
    await waitFor(() => !page.data.loading, 'checkout loaded');
    await tap(page, '.pay');
    await waitFor(() => shim!.navigations.length > 0, 'result');
    expect(shim!.navigations[0].url).toMatch(/outcome=cancelled/);
    expect(stack.requests.map((r) => r.path)).not.toContain('/__sim/pay');
    const no = /outTradeNo=([^&]+)/.exec(shim!.navigations[0].url)![1];
    expect(stack.orders.get(no)!.status).toBe('NOTPAY');
  });
});
