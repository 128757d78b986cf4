// A `wx` that behaves like the real API for the pages under test: every async API returns a Promise
// when given no callbacks, or calls success/fail/complete when given any, with `{errMsg: "name:ok"}`
// results and `{errMsg: "name:fail …"}` errors. It is laid over miniprogram-simulate's own `wx`
// (which has no `cloud`) and records what the page asked for. Where calls go is a Backend:
// a scripted one for page tests, or one that forwards over HTTP to the CloudBase emulator and the
// WeChat Pay simulator for end-to-end runs (see ./backends.ts).
import { httpRequest } from './http';

export interface PaymentRequest { timeStamp: string; nonceStr: string; package: string; signType?: string; paySign: string }

export interface Backend {
  /** Resolves with the function's `result`; rejects for a transport failure. */
  callFunction(name: string, data: unknown): Promise<unknown>;
  /** Resolves when the user paid; rejects with `{errMsg}` ("requestPayment:fail cancel" for a cancel). */
  requestPayment(params: PaymentRequest): Promise<void>;
}

export interface ShimRecord {
  functions: Array<{ name: string; data: any }>;
  payments: PaymentRequest[];
  toasts: Array<{ title: string; icon?: string }>;
  /** wx.setNavigationBarTitle titles, in order. */
  titles: string[];
  navigations: Array<{ kind: 'navigateTo' | 'redirectTo'; url: string }>;
  modals: Array<{ title?: string; content?: string }>;
  cloudInit: any[];
  businessViews: any[];
}

export interface WxShim extends ShimRecord {
  /** What wx.showModal answers (the user's choice). */
  modalConfirms: boolean;
  restore(): void;
}

type Opts = { success?: (r: any) => void; fail?: (e: any) => void; complete?: (r: any) => void; [k: string]: any };

function errOf(name: string, err: any): { errMsg: string } {
  if (err && typeof err.errMsg === 'string') return { ...err };
  return { errMsg: `${name}:fail ${err && err.message ? err.message : String(err)}` };
}

/** Wraps an implementation into the wx calling convention (Promise or callbacks). */
export function wxApi(name: string, impl: (o: Opts) => Promise<object | void>) {
  return (options: Opts = {}) => {
    // impl starts synchronously (so calls are recorded in order); its outcome arrives asynchronously.
    const p = new Promise<object | void>((resolve) => resolve(impl(options)))
      .then((res) => ({ errMsg: `${name}:ok`, ...(res || {}) }), (err) => { throw errOf(name, err); });
    if (!options.success && !options.fail && !options.complete) return p;
    p.then(
      (res) => { if (options.success) options.success(res); if (options.complete) options.complete(res); },
      (err) => { if (options.fail) options.fail(err); if (options.complete) options.complete(err); },
    );
    return undefined;
  };
}

export function installWx(backend: Backend): WxShim {
  const wx = (globalThis as any).wx;
  if (!wx) throw new Error('require miniprogram-simulate before installing the wx shim');
  const names = ['cloud', 'requestPayment', 'showToast', 'showLoading', 'hideLoading', 'showModal', 'navigateTo', 'redirectTo', 'request', 'stopPullDownRefresh', 'setNavigationBarTitle', 'openBusinessView', 'setStorageSync', 'getStorageSync', 'removeStorageSync'];
  const saved: Record<string, unknown> = {};
  const storage = new Map<string, unknown>();
  for (const n of names) saved[n] = wx[n];

  const shim: WxShim = {
    functions: [], payments: [], toasts: [], titles: [], navigations: [], modals: [], cloudInit: [], businessViews: [],
    modalConfirms: true,
    restore() { Object.assign(wx, saved); },
  };
  Object.assign(wx, {
    cloud: {
      init: (opts: unknown) => { shim.cloudInit.push(opts); },
      callFunction: wxApi('cloud.callFunction', async (o) => {
        shim.functions.push({ name: o.name, data: o.data });
        return { result: await backend.callFunction(o.name, o.data === undefined ? {} : o.data) };
      }),
    },
    requestPayment: wxApi('requestPayment', async (o) => {
      const params = { timeStamp: o.timeStamp, nonceStr: o.nonceStr, package: o.package, signType: o.signType, paySign: o.paySign };
      shim.payments.push(params);
      await backend.requestPayment(params);
    }),
    // Real storage semantics (miniprogram-simulate's are no-ops): '' for a missing key, like wx.
    setStorageSync: (key: string, value: unknown) => { storage.set(key, value); },
    getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
    removeStorageSync: (key: string) => { storage.delete(key); },
    openBusinessView: wxApi('openBusinessView', async (o) => { shim.businessViews.push({ businessType: o.businessType, extraData: o.extraData }); }),
    showToast: wxApi('showToast', async (o) => { shim.toasts.push({ title: o.title, icon: o.icon }); }),
    showLoading: wxApi('showLoading', async () => undefined),
    hideLoading: wxApi('hideLoading', async () => undefined),
    stopPullDownRefresh: wxApi('stopPullDownRefresh', async () => undefined),
    setNavigationBarTitle: wxApi('setNavigationBarTitle', async (o) => { shim.titles.push(o.title); }),
    showModal: wxApi('showModal', async (o) => {
      shim.modals.push({ title: o.title, content: o.content });
      return { confirm: shim.modalConfirms, cancel: !shim.modalConfirms };
    }),
    navigateTo: wxApi('navigateTo', async (o) => { shim.navigations.push({ kind: 'navigateTo', url: o.url }); }),
    redirectTo: wxApi('redirectTo', async (o) => { shim.navigations.push({ kind: 'redirectTo', url: o.url }); }),
    // Real HTTP, as DevTools does with domain checking off (local-mode builds use this).
    request: (o: Opts) => {
      wxApi('request', async () => {
        const res = await httpRequest(o.method || 'GET', o.url, o.data, o.header);
        return { statusCode: res.status, data: res.json === undefined ? res.text : res.json, header: res.headers };
      })(o);
      return { abort() { /* not needed by the pages */ } };
    },
  });
  return shim;
}
