// The mini-program build: runs, produces cjs es2017 bundles per entry, keeps what the runtime lacks
// and every local-mode trace out of production, and stays under its size budget.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import {
  buildMiniprogram, DEFAULT_BUDGET_BYTES, MAIN_PACKAGE_LIMIT_BYTES, MiniprogramBuildError, miniprogramOptionsFromEnv, scanBuiltCode,
} from '../../scripts/build/miniprogram';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'wxcloud-pay-mpbuild-'));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const quiet = { log: () => undefined };
const read = (f: string) => readFileSync(f, 'utf8');

describe('buildMiniprogram', () => {
  it('builds app.ts and every page with a .json into a full package, under budget', async () => {
    const lines: string[] = [];
    const r = await buildMiniprogram({ outDir: tmp(), log: (l) => lines.push(l) });
    const rel = r.outputs.map((f) => relative(r.outDir, f)).sort();
    expect(rel).toEqual(['app.js', 'pages/checkout/index.js', 'pages/orders/index.js', 'pages/products/index.js', 'pages/result/index.js']);
    for (const asset of ['app.json', 'app.wxss', 'sitemap.json', 'pages/checkout/index.wxml', 'pages/checkout/index.json', 'pages/checkout/index.wxss']) {
      expect(existsSync(join(r.outDir, asset))).toBe(true);
    }
    expect(existsSync(join(r.outDir, 'tsconfig.json'))).toBe(false);
    expect(r.mainPackageBytes).toBeGreaterThan(0);
    expect(r.mainPackageBytes).toBeLessThanOrEqual(DEFAULT_BUDGET_BYTES);
    expect(DEFAULT_BUDGET_BYTES).toBeLessThanOrEqual(MAIN_PACKAGE_LIMIT_BYTES / 4);
    expect(lines.join('\n')).toMatch(/main package [\d.]+ KiB \(budget 512\.0 KiB, limit 2 MiB\)/);
  });

  it('every page of app.json has a built .js, .json and .wxml', async () => {
    const r = await buildMiniprogram({ outDir: tmp(), ...quiet });
    const app = JSON.parse(read(join(r.outDir, 'app.json')));
    for (const page of app.pages) for (const ext of ['.js', '.json', '.wxml']) expect(existsSync(join(r.outDir, page + ext))).toBe(true);
  });

  it('output is CommonJS for the runtime globals, without ES2018+ syntax, imports, or forbidden globals', async () => {
    const r = await buildMiniprogram({ outDir: tmp(), ...quiet });
    for (const f of r.outputs) {
      const code = read(f);
      expect(scanBuiltCode(code, 'cloud')).toEqual([]);
      expect(code).not.toMatch(/^\s*(import|export)\s/m);
      expect(code).not.toMatch(/\{\s*\.\.\./); // object spread (ES2018) is lowered for es2017
      expect(code).not.toMatch(/\?\?|\?\.[A-Za-z_$]/);
    }
    expect(read(join(r.outDir, 'app.js'))).toContain('App(');
    expect(read(join(r.outDir, 'pages/checkout/index.js'))).toContain('Component(');
  });

  it('a production build contains no local-mode code: no loopback URL, no simulator path, no wx.request', async () => {
    const r = await buildMiniprogram({ outDir: tmp(), target: 'cloud', cloudEnv: 'prod-7g', ...quiet });
    const all = r.outputs.map(read).join('\n');
    expect(all).not.toContain('127.0.0.1');
    expect(all).not.toContain('__sim');
    expect(all).not.toContain('wx.request(');
    expect(all).not.toContain('showModal'); // the simulated payment sheet
    expect(all).toContain('wx.cloud.callFunction');
    expect(all).toContain('"prod-7g"');
  });

  it('a local build contains the emulator endpoints, the dev openid and no wx.cloud.init', async () => {
    const r = await buildMiniprogram({
      outDir: tmp(), target: 'local', local: { functionsUrl: 'http://127.0.0.1:18790/', simulatorUrl: 'http://127.0.0.1:18791', openid: 'oDEV' }, ...quiet,
    });
    const checkout = read(join(r.outDir, 'pages/checkout/index.js'));
    expect(checkout).toContain('http://127.0.0.1:18790"'); // trailing slash trimmed
    expect(checkout).toContain('/__sim/pay');
    expect(checkout).toContain('"oDEV"');
    expect(read(join(r.outDir, 'app.js'))).not.toContain('cloud.init');
  });

  it('fails above the size budget, naming the sizes', async () => {
    await expect(buildMiniprogram({ outDir: tmp(), budgetBytes: 1000, ...quiet })).rejects.toThrow(/over the 1000-byte budget/);
  });

  it('rejects bad switches with clear messages before building', async () => {
    await expect(buildMiniprogram({ outDir: tmp(), target: 'staging' as never, ...quiet })).rejects.toThrow(MiniprogramBuildError);
    await expect(buildMiniprogram({ outDir: tmp(), pollDelaysMs: [1, -1], ...quiet })).rejects.toThrow(/poll delays/);
    await expect(buildMiniprogram({ outDir: tmp(), budgetBytes: MAIN_PACKAGE_LIMIT_BYTES + 1, ...quiet })).rejects.toThrow(/size budget/);
  });

  it('reads its switches from the environment', () => {
    const o = miniprogramOptionsFromEnv({ MP_TARGET: 'local', MP_CLOUD_ENV: 'e1', CLOUDBASE_EMULATOR_PORT: '9000', MP_POLL_DELAYS_MS: '10, 20', MP_OUT_DIR: '/x' });
    expect(o).toMatchObject({ target: 'local', cloudEnv: 'e1', outDir: '/x', pollDelaysMs: [10, 20] });
    expect(o.local!.functionsUrl).toBe('http://127.0.0.1:9000');
    expect(o.local!.simulatorUrl).toBe('http://127.0.0.1:8791');
    expect(miniprogramOptionsFromEnv({}).target).toBe('cloud');
  });
});

describe('scanBuiltCode', () => {
  it('names each thing the runtime lacks', () => {
    expect(scanBuiltCode('window.x = 1', 'cloud')).toEqual(['window']);
    expect(scanBuiltCode('document.title', 'local')).toEqual(['document']);
    expect(scanBuiltCode('eval ("1")', 'local')).toEqual(['eval']);
    expect(scanBuiltCode('new Function("a", "return a")', 'local')).toEqual(['new Function']);
    expect(scanBuiltCode('import("./x")', 'local')).toEqual(['dynamic import']);
    expect(scanBuiltCode('const windowSize = 1; evaluate(x)', 'cloud')).toEqual([]);
  });

  it('flags local-mode leftovers only in production builds', () => {
    const code = 'post("http://127.0.0.1:8791/__sim/pay")';
    expect(scanBuiltCode(code, 'cloud')).toEqual(['127.0.0.1', '__sim']);
    expect(scanBuiltCode(code, 'local')).toEqual([]);
  });
});
