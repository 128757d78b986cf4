// Build switches for the http transport: MP_TRANSPORT, MP_FUNCTIONS_BASE_URL, MP_FUNCTION_URLS.
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildMiniprogram, MiniprogramBuildError, miniprogramOptionsFromEnv, parseFunctionUrls, scanBuiltCode } from '../../scripts/build/miniprogram';

const quiet = { log: () => undefined };
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'wxcloud-pay-mpb-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test('MP_FUNCTION_URLS accepts JSON or name=url pairs', () => {
  expect(parseFunctionUrls('{"login":"https://a.example/x"}')).toEqual({ login: 'https://a.example/x' });
  expect(parseFunctionUrls('login=https://a.example, createOrder=https://b.example')).toEqual({ login: 'https://a.example', createOrder: 'https://b.example' });
  expect(() => parseFunctionUrls('{"login":1}')).toThrow(MiniprogramBuildError);
  expect(() => parseFunctionUrls('login')).toThrow(/not name=url/);
  const o = miniprogramOptionsFromEnv({ MP_TRANSPORT: 'http', MP_FUNCTIONS_BASE_URL: 'https://fn.example', MP_FUNCTION_URLS: 'login=https://l.example' });
  expect(o).toMatchObject({ transport: 'http', functionsBaseUrl: 'https://fn.example', functionUrls: { login: 'https://l.example' } });
});

test('an http build needs https URLs (http only to loopback in a local build)', async () => {
  await expect(buildMiniprogram({ outDir: tmp(), transport: 'http', ...quiet })).rejects.toThrow(/needs MP_FUNCTIONS_BASE_URL or MP_FUNCTION_URLS/);
  await expect(buildMiniprogram({ outDir: tmp(), transport: 'http', functionsBaseUrl: 'http://127.0.0.1:8790/fn', ...quiet })).rejects.toThrow(/must be https/);
  await expect(buildMiniprogram({ outDir: tmp(), transport: 'http', functionUrls: { login: 'not a url' }, ...quiet })).rejects.toThrow(/not an absolute URL/);
  await expect(buildMiniprogram({ outDir: tmp(), transport: 'carrier-pigeon' as never, ...quiet })).rejects.toThrow(/MP_TRANSPORT/);
  const local = await buildMiniprogram({
    outDir: tmp(), target: 'local', transport: 'http', functionsBaseUrl: 'http://127.0.0.1:8790/fn',
    local: { functionsUrl: 'http://127.0.0.1:8790', simulatorUrl: 'http://127.0.0.1:8791' }, ...quiet,
  });
  expect(local.transport).toBe('http');
});

test('per-function URLs win over the base URL and land in the build', async () => {
  const r = await buildMiniprogram({ outDir: tmp(), transport: 'http', functionsBaseUrl: 'https://gw.example/fn/', functionUrls: { login: 'https://login-123.example' }, ...quiet });
  const code = r.outputs.map((f) => readFileSync(f, 'utf8')).join('\n');
  expect(code).toContain('https://gw.example/fn"');
  expect(code).toContain('https://login-123.example');
});

test('scanBuiltCode flags session-login code in a cloud-transport build only', () => {
  const code = 'header.Authorization = "Bearer " + t; wx.login({ success })';
  expect(scanBuiltCode(code, 'cloud')).toEqual(['Bearer', 'wx.login']);
  expect(scanBuiltCode(code, 'cloud', 'http')).toEqual([]);
});
