/** @jest-environment jsdom */
// app.js (built): wx.cloud.init with the env id from the build config, then login.
// And the HTTP-forwarding shim: a production build whose wx.cloud.callFunction and
// wx.requestPayment reach emulator-shaped servers over real HTTP (the end-to-end seam).
import { join } from 'path';
import { httpBackend } from './support/backends';
import { FakeStack, startFakeStack } from './support/fakeStack';
import { buildForTest, loadPage, tap, TestBuild, waitFor } from './support/pages';
import { installWx, WxShim } from './support/wxShim';

let stack: FakeStack;
let built: TestBuild;
let shim: WxShim | undefined;

beforeAll(async () => {
  stack = await startFakeStack();
  built = buildForTest({ MP_CLOUD_ENV: 'prod-env-42' });
  require('miniprogram-simulate'); // provides the base `wx` the shim lays over
});
afterEach(() => shim && shim.restore());
afterAll(async () => {
  built.cleanup();
  await stack.close();
});

describe('app entry', () => {
  it('initialises the cloud with the build-time env id and traceUser, then logs in', async () => {
    shim = installWx(httpBackend({ functionsUrl: stack.url, openid: 'oApp' }));
    let options: any;
    (globalThis as any).App = (o: unknown) => { options = o; };
    jest.isolateModules(() => require(join(built.outDir, 'app.js')));
    options.onLaunch();
    expect(shim.cloudInit).toEqual([{ env: 'prod-env-42', traceUser: true }]);
    await waitFor(() => shim!.functions.length > 0, 'login call');
    expect(shim.functions).toEqual([{ name: 'login', data: {} }]);
  });

  it('a failing login does not break the launch', async () => {
    shim = installWx(httpBackend({ functionsUrl: 'http://127.0.0.1:9', openid: 'oApp' }));
    let options: any;
    (globalThis as any).App = (o: unknown) => { options = o; };
    jest.isolateModules(() => require(join(built.outDir, 'app.js')));
    expect(() => options.onLaunch()).not.toThrow();
    await waitFor(() => shim!.functions.length > 0, 'login call');
  });
});

describe('wx shim forwarding to HTTP (production build)', () => {
  it('a tap on Pay ends paid, with the functions and the payer reached over HTTP', async () => {
    shim = installWx(httpBackend({ functionsUrl: stack.url, simulatorUrl: stack.url, openid: 'oShim' }));
    const render = loadPage(built.outDir, 'pages/checkout/index');
    const page = render();
    page.instance.onLoad({ items: encodeURIComponent('tea:3') });
    await waitFor(() => !page.data.loading, 'checkout loaded');
    await tap(page, '.pay');
    await waitFor(() => shim!.navigations.length > 0, 'result');
    const no = /outTradeNo=([^&]+)/.exec(shim.navigations[0].url)![1];
    expect(shim.navigations[0].url).toContain('outcome=paid');
    expect(stack.orders.get(no)).toEqual({ status: 'SUCCESS', total: 2970, openid: 'oShim' });
    expect(shim.payments[0].package).toBe(`prepay_id=wx_${no}`);
  });

  it('behaves like the real API: Promise without callbacks, success/complete with them, fail with errMsg', async () => {
    shim = installWx(httpBackend({ functionsUrl: stack.url, openid: 'oShim' }));
    const wx = (globalThis as any).wx;
    await expect(wx.cloud.callFunction({ name: 'login' })).resolves.toEqual({ errMsg: 'cloud.callFunction:ok', result: { openid: 'oShim' } });
    const seen: string[] = [];
    const ret = wx.cloud.callFunction({ name: 'nope', fail: (e: any) => seen.push(`fail ${e.errMsg}`), complete: () => seen.push('complete') });
    expect(ret).toBeUndefined();
    await waitFor(() => seen.length === 2, 'callbacks');
    expect(seen[0]).toMatch(/^fail cloud\.callFunction:fail -501000 FUNCTION_NOT_FOUND/);
    expect(seen[1]).toBe('complete');
  });
});
