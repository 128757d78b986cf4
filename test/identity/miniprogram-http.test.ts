/** @jest-environment jsdom */
// The mini-program's http transport end to end: a production build with MP_TRANSPORT=http and its
// function URLs on https://fn.wxcloud-pay.test (resolved to the local stack here, as DNS would), the
// functions in IDENTITY_MODE=session behind /fn/{name}. wx.login gets a code the way the WeChat
// client does — from WeChat (the simulator mints it). The checkout page pays with no wx.cloud at all:
// wx.login → login({code}) → token → Authorization on every wx.request.
import { randomBytes } from 'crypto';
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { httpBackend } from '../miniprogram/support/backends';
import { httpRequest } from '../miniprogram/support/http';
import { buildForTest, loadPage, tap, TestBuild, waitFor } from '../miniprogram/support/pages';
import { installWx, wxApi, WxShim } from '../miniprogram/support/wxShim';
import { startStackProcess, type StackUrls } from '../miniprogram/support/stack-process';

const PUBLIC_BASE = 'https://fn.wxcloud-pay.test/fn';
const SECRET = randomBytes(32).toString('base64');
const OPENID = 'oMPHTTP00000000000000000001';

let stack: Awaited<ReturnType<typeof startStackProcess>> | undefined;
let urls: StackUrls;
let prod: TestBuild;
let cloud: TestBuild;
let prodAgain: TestBuild;
let checkout: ReturnType<typeof loadPage>;
let checkoutAgain: ReturnType<typeof loadPage>;
let shim: WxShim | undefined;
let requests: Array<{ url: string; authorization?: string; body: any; status: number }>;
let storage: Map<string, unknown>;
let logins: number;


beforeAll(async () => {
  stack = await startStackProcess('mp-http', {
    functionEnv: { IDENTITY_MODE: 'session', SESSION_TOKEN_SECRET: SECRET, WX_APP_SECRET: 'dev-app-secret-not-a-real-one' },
    routes: Object.fromEntries(['login', 'createOrder', 'queryOrder', 'listProducts', 'listOrders'].map((f) => [`/fn/${f}`, f])),
  });
  urls = stack.urls;
  prod = buildForTest({ MP_TRANSPORT: 'http', MP_FUNCTIONS_BASE_URL: PUBLIC_BASE });
  cloud = buildForTest({});
  checkout = loadPage(prod.outDir, 'pages/checkout/index'); // also loads miniprogram-simulate's wx
  // A second copy of the same build = a fresh app launch (no session in memory).
  prodAgain = buildForTest({ MP_TRANSPORT: 'http', MP_FUNCTIONS_BASE_URL: PUBLIC_BASE });
  checkoutAgain = loadPage(prodAgain.outDir, 'pages/checkout/index');
}, 120000);
afterEach(() => shim && shim.restore());
afterAll(async () => {
  for (const b of [prod, prodAgain, cloud]) if (b) b.cleanup();
  await stack?.stop();
}, 30000);

/** The wx of a phone talking to SCF: no cloud; login codes from WeChat; https requests reach the stack. */
function installPhone(): WxShim {
  const s = installWx(httpBackend({ functionsUrl: urls.cloudbaseUrl, simulatorUrl: urls.simulatorUrl, openid: OPENID }));
  const wx = (globalThis as any).wx;
  requests = [];
  storage = new Map();
  logins = 0;
  const saved = { login: wx.login, getStorageSync: wx.getStorageSync, setStorageSync: wx.setStorageSync, removeStorageSync: wx.removeStorageSync, request: wx.request, cloud: wx.cloud };
  const restore = s.restore;
  s.restore = () => { Object.assign(wx, saved); restore(); };
  Object.assign(wx, {
    cloud: { init() { throw new Error('wx.cloud.init must not run in an http-transport build'); }, callFunction() { throw new Error('wx.cloud.callFunction must not be used'); } },
    login: wxApi('login', async () => {
      logins += 1;
      const res = await httpRequest('POST', `${urls.simulatorUrl}/__sim/login-code`, { openid: OPENID, appid: urls.appid });
      return { code: res.json.code };
    }),
    getStorageSync: (k: string) => (storage.has(k) ? storage.get(k) : ''),
    setStorageSync: (k: string, v: unknown) => { storage.set(k, JSON.parse(JSON.stringify(v))); },
    removeStorageSync: (k: string) => { storage.delete(k); },
    request: (o: any) => {
      wxApi('request', async () => {
        if (!String(o.url).startsWith(PUBLIC_BASE)) throw new Error(`unexpected URL ${o.url}`);
        const local = o.url.replace('https://fn.wxcloud-pay.test', urls.cloudbaseUrl);
        const res = await httpRequest(o.method || 'GET', local, o.data, o.header);
        requests.push({ url: o.url, authorization: o.header && o.header.Authorization, body: o.data, status: res.status });
        return { statusCode: res.status, data: res.json === undefined ? res.text : res.json, header: res.headers };
      })(o);
      return { abort() { /* unused */ } };
    },
  });
  return s;
}

async function payOnCheckout(items: string, render = checkout): Promise<Record<string, string>> {
  const page = render();
  page.instance.onLoad({ items: encodeURIComponent(items) });
  await waitFor(() => !page.data.loading, 'checkout loaded', 20000);
  await tap(page, '.pay');
  await waitFor(() => shim!.navigations.length > 0, 'result navigation', 20000);
  const q: Record<string, string> = {};
  for (const part of shim!.navigations[0].url.split('?')[1].split('&')) {
    const [k, v] = part.split('=');
    q[k] = decodeURIComponent(v);
  }
  return q;
}

describe('mini-program http transport against session-mode functions', () => {
  it('pays from the checkout page: one wx.login, a token on every call, the order SUCCESS', async () => {
    shim = installPhone();
    const q = await payOnCheckout('coffee:1');
    expect(q).toMatchObject({ outcome: 'paid', total: '1800' });
    expect(logins).toBe(1);
    const paths = requests.map((r) => r.url.replace(PUBLIC_BASE, ''));
    expect(paths[0]).toBe('/login');
    expect(paths).toEqual(expect.arrayContaining(['/listProducts', '/createOrder', '/queryOrder']));
    expect(requests[0].authorization).toBeUndefined();
    expect(requests[0].body).toEqual({ data: { code: expect.any(String) } });
    for (const r of requests.slice(1)) expect(r.authorization).toMatch(/^Bearer v1\./);
    expect(shim.functions).toEqual([]);
    expect(shim.payments).toHaveLength(1);
    // The session is kept for the next launch; the token is the server's, not a session_key.
    const kept = storage.get('wxcloud-pay.session') as any;
    expect(kept).toMatchObject({ openid: OPENID, token: expect.stringMatching(/^v1\./), expiresAt: expect.any(Number) });
    expect(JSON.stringify(kept)).not.toMatch(/session_key/);
  }, 60000);

  it('on a fresh launch a stored token the server rejects (expired, forged) means one new login and a retry', async () => {
    shim = installPhone();
    storage.set('wxcloud-pay.session', { openid: OPENID, token: 'v1.eyJvcGVuaWQiOiJ4In0.AAAA', expiresAt: Date.now() + 3600_000 });
    const q = await payOnCheckout('tea:1', checkoutAgain);
    expect(q.outcome).toBe('paid');
    expect(logins).toBe(1);
    expect(requests[0]).toMatchObject({ status: 401, authorization: 'Bearer v1.eyJvcGVuaWQiOiJ4In0.AAAA' });
    expect(requests[1].url).toBe(`${PUBLIC_BASE}/login`);
  }, 60000);
});

describe('builds', () => {
  function builtCode(dir: string): string {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.js')) files.push(readFileSync(p, 'utf8'));
      }
    };
    walk(dir);
    return files.join('\n');
  }

  it('a cloud-transport production build contains none of the http transport', () => {
    const code = builtCode(cloud.outDir);
    for (const needle of ['Bearer', 'wxcloud-pay.session', 'login-code', 'fn.wxcloud-pay.test', 'wx.login(']) expect(code).not.toContain(needle);
    expect(code).toContain('cloud.callFunction');
  });

  it('an http-transport production build has its URLs and no wx.cloud.init, nor any local-only code', () => {
    const code = builtCode(prod.outDir);
    expect(code).toContain(PUBLIC_BASE);
    expect(code).toContain('Bearer');
    expect(code).not.toMatch(/cloud\.init/);
    expect(code).not.toMatch(/__sim|127\.0\.0\.1/);
  });
});
