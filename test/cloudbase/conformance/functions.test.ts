/**
 * Conformance, functions: cloud.callFunction (from a mini-program and from another function through
 * the real wx-server-sdk), getWXContext, HTTP access — with the real service's size limits.
 */
import { postJson, startHarness, writeFunction, type Harness } from '../helpers';

const SDK_INIT = `const cloud = require('wx-server-sdk'); cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });`;
const MB = 1024 * 1024;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    routes: { '/big': 'bigHttp' },
    setup(dir) {
      writeFunction(dir, 'sized', `exports.main = async (event) => ({ blob: 'x'.repeat(event.bytes) });`);
      writeFunction(dir, 'echoSize', `exports.main = async (event) => ({ got: JSON.stringify(event).length });`);
      writeFunction(dir, 'nested', `${SDK_INIT}
        exports.main = async (event) => {
          try { const r = await cloud.callFunction({ name: 'sized', data: { bytes: event.bytes } }); return { ok: r.result.blob.length }; }
          catch (e) { return { errCode: e.errCode, errMsg: e.errMsg, code: e.code }; }
        };`);
      writeFunction(dir, 'who', `${SDK_INIT} exports.main = async () => cloud.getWXContext();`);
      writeFunction(dir, 'bigHttp', `exports.main = async (event) => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'y'.repeat(Number(event.queryStringParameters.n)) });`);
    },
  });
});
afterAll(() => h.stop());

describe('cloud.callFunction', () => {
  test('a return value just under 1 MB arrives; over 1 MB the mini-program gets -604001 "cloudfunction result size exceed limit (1MB)"', async () => {
    const ok = await postJson(`${h.emu.url}/functions/sized`, { openid: 'u1', data: { bytes: MB - 100 } });
    expect(ok.json.result.blob).toHaveLength(MB - 100);
    const big = await postJson(`${h.emu.url}/functions/sized`, { openid: 'u1', data: { bytes: MB } });
    expect(big.json.errCode).toBe(-604001);
    expect(big.json.errMsg).toContain('cloudfunction result size exceed limit (1MB)');
    expect(big.json.result).toBeUndefined();
  });

  test('a nested cloud.callFunction whose callee returns over 1 MB rejects with the same reason', async () => {
    const { json } = await postJson(`${h.emu.url}/functions/nested`, { openid: 'u1', data: { bytes: MB + 10 } });
    expect(json.result.errMsg).toContain('-604001');
    expect(json.result.errMsg).toContain('cloudfunction result size exceed limit (1MB)');
    expect((await postJson(`${h.emu.url}/functions/nested`, { openid: 'u1', data: { bytes: 1000 } })).json.result).toEqual({ ok: 1000 });
  });

  test('callFunction data over 6 MB is refused before the function runs (both callers)', async () => {
    const data = { blob: 'z'.repeat(6 * MB) };
    const client = await postJson(`${h.emu.url}/functions/echoSize`, { openid: 'u1', data });
    expect(client.json.errCode).toBe(-501007);
    expect(client.json.errMsg).toContain('EXCEED_MAX_PAYLOAD_SIZE');
    const e = await h.cloud.callFunction({ name: 'echoSize', data }).then(() => null, (err: any) => err);
    expect(String(e.errMsg)).toContain('EXCEED_MAX_PAYLOAD_SIZE');
    expect((await h.cloud.callFunction({ name: 'echoSize', data: { blob: 'z'.repeat(1000) } })).result.got).toBe(1011);
  });
});

describe('cloud.getWXContext', () => {
  test('the calling user and app, the env', async () => {
    const { json } = await postJson(`${h.emu.url}/functions/who`, { openid: 'o-user', appid: 'wx123' });
    expect(json.result).toMatchObject({ OPENID: 'o-user', APPID: 'wx123', ENV: 'test-env', SOURCE: 'wx_client' });
  });
});

describe('HTTP access', () => {
  test('a response body up to 6 MB is sent; over it the caller gets 502 saying why', async () => {
    const ok = await fetch(`${h.emu.url}/big?n=${6 * MB}`);
    expect(ok.status).toBe(200);
    expect((await ok.text()).length).toBe(6 * MB);
    const big = await fetch(`${h.emu.url}/big?n=${6 * MB + 1}`);
    expect(big.status).toBe(502);
    expect(((await big.json()) as { errMsg: string }).errMsg).toContain('over the HTTP access limit of 6 MB');
  });
});
