/**
 * Function host: real child-process instances running plain-JS functions that use the real
 * wx-server-sdk (resolved from the repo's node_modules via NODE_PATH).
 */
import { postJson, startHarness, writeFunction, type Harness } from './helpers';

const SDK_INIT = `const cloud = require('wx-server-sdk'); cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    maxInstancesPerFunction: 3,
    functions: { slow: { timeoutMs: 400 }, envcheck: { env: { MY_SETTING: 'from-local-config' } } },
    routes: { '/pay/notify': 'notify' },
    setup(dir) {
      writeFunction(dir, 'whoami', `${SDK_INIT}
        exports.main = async (event) => {
          const before = cloud.getWXContext();
          await new Promise((r) => setTimeout(r, event.delay || 0));
          const db = cloud.database();
          const { _id } = await db.collection('visits').add({ data: { openid: before.OPENID } });
          const stored = (await db.collection('visits').doc(_id).get()).data.openid;
          return { before, after: cloud.getWXContext(), stored, pid: process.pid };
        };`);
      writeFunction(dir, 'caller', `${SDK_INIT}
        exports.main = async (event) => {
          const inner = await cloud.callFunction({ name: 'whoami', data: {} });
          return { me: cloud.getWXContext(), inner: inner.result };
        };`);
      writeFunction(dir, 'callsBoom', `${SDK_INIT}
        exports.main = async () => {
          try { await cloud.callFunction({ name: 'boom', data: {} }); return 'no error'; }
          catch (e) { return { errCode: e.errCode, errMsg: e.errMsg }; }
        };`);
      writeFunction(dir, 'boom', `exports.main = async () => { throw new Error('boom: card declined'); };`);
      writeFunction(dir, 'slow', `exports.main = () => new Promise((r) => setTimeout(() => r('late'), 5000));`);
      writeFunction(dir, 'envcheck', `exports.main = async (event, context) => ({ setting: process.env.MY_SETTING, fn: context.function_name, limit: context.time_limit_in_ms, env: process.env.TCB_ENV });`);
      // Writes to process.env behave like Node's own: coerced to strings, seen by child processes,
      // deletable; the next invocation still gets its own identity variables.
      writeFunction(dir, 'envwrite', `const { execFileSync } = require('child_process');
        exports.main = async (event) => {
          const openid = process.env.WX_OPENID;
          process.env.MY_NUMBER = 42;
          const typed = typeof process.env.MY_NUMBER;
          const child = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.env.MY_NUMBER) + "," + String(process.env.WX_OPENID))']).toString();
          delete process.env.MY_NUMBER;
          const gone = process.env.MY_NUMBER === undefined && !('MY_NUMBER' in process.env) && !Object.keys(process.env).includes('MY_NUMBER');
          return { openid, typed, value: typed === 'string' ? 'string' : 'not a string', child, gone, keys: Object.keys(process.env).includes('WX_OPENID') };
        };`);
      writeFunction(dir, 'notify', `exports.main = async (event) => ({
          statusCode: 201,
          headers: { 'X-Echo': event.headers['x-test'] || '' },
          body: JSON.stringify({ path: event.path, method: event.httpMethod, body: event.body, b64: event.isBase64Encoded, q: event.queryStringParameters, ctx: event.requestContext }),
        });`);
      writeFunction(dir, 'ticker', `${SDK_INIT}
          exports.main = async (event) => ({ event, ctx: cloud.getWXContext() });`,
        { triggers: [{ name: 'reconcile', type: 'timer', config: '0 */5 * * * * *' }] });
    },
  });
  await h.db.createCollection('visits');
});
afterAll(() => h.stop());

const call = (name: string, body: object) => postJson(`${h.emu.url}/functions/${name}`, body);

test('concurrent invocations from different users each see only their own identity (no mix-ups)', async () => {
  const users = Array.from({ length: 9 }, (_x, i) => `openid-user-${i}`);
  const answers = await Promise.all(users.map((openid, i) => call('whoami', { openid, appid: 'wxapp123', unionid: `u-${i}`, data: { delay: 50 + ((i * 37) % 100) } })));
  answers.forEach(({ json }, i) => {
    expect(json.errCode).toBeUndefined();
    const r = json.result;
    expect(r.before).toMatchObject({ OPENID: users[i], APPID: 'wxapp123', UNIONID: `u-${i}`, ENV: 'test-env', SOURCE: 'wx_client', CLIENTIP: '127.0.0.1' });
    expect(r.after.OPENID).toBe(users[i]);
    expect(r.stored).toBe(users[i]);
    expect(r.before).not.toHaveProperty('API_TOKEN');
  });
  // maxInstancesPerFunction: 3 → 9 concurrent calls (each slower than nothing) scale out to
  // exactly 3 processes: more than one (an instance runs one call at a time), never over the limit.
  expect(new Set(answers.map((a) => a.json.result.pid)).size).toBe(3);
});

test('nested cloud.callFunction keeps the caller\'s user and extends SOURCE to "wx_client,scf"', async () => {
  const { json } = await call('caller', { openid: 'alice', appid: 'wxapp123', data: {} });
  expect(json.result.me.OPENID).toBe('alice');
  expect(json.result.inner.before).toMatchObject({ OPENID: 'alice', APPID: 'wxapp123', SOURCE: 'wx_client,scf' });
});

test('a thrown error answers errCode -504002 with the error message, like wx.cloud.callFunction', async () => {
  const { status, json } = await call('boom', { openid: 'x', data: {} });
  expect(status).toBe(200);
  expect(json.errCode).toBe(-504002);
  expect(json.errMsg).toContain('functions execute fail');
  expect(json.errMsg).toContain('boom: card declined');
});

test('a thrown error seen from another function: cloud.callFunction rejects with the error (as wx-server-sdk 4.0.2 wraps FUNCTIONS_EXECUTE_FAIL)', async () => {
  const { json } = await call('callsBoom', { openid: 'x', data: {} });
  // node-sdk throws on the error code and wx-server-sdk rewraps it as errCode -1 "callFunction:fail …"
  expect(json.result.errCode).toBe(-1);
  expect(json.result.errMsg).toMatch(/^callFunction:fail Error: boom: card declined/);
  expect(json.result.errMsg).not.toContain('worker.cjs');
});

test('a function over its per-function timeout answers -504003 with the platform message', async () => {
  const { json } = await call('slow', { openid: 'x', data: {} });
  expect(json.errCode).toBe(-504003);
  expect(json.errMsg).toContain('timed out after 0.4 seconds');
});

test('per-function env and the context argument', async () => {
  const { json } = await call('envcheck', { openid: 'x', data: {} });
  expect(json.result).toEqual({ setting: 'from-local-config', fn: 'envcheck', limit: 3000, env: 'test-env' });
});

test('process.env inside an instance behaves like Node\'s: writes are strings and reach child processes, deletes remove, identity is per invocation', async () => {
  const first = await call('envwrite', { openid: 'env-user-1', data: {} });
  expect(first.json.result).toEqual({ openid: 'env-user-1', typed: 'string', value: 'string', child: '42,env-user-1', gone: true, keys: true });
  const second = await call('envwrite', { openid: 'env-user-2', data: {} });
  expect(second.json.result).toMatchObject({ openid: 'env-user-2', child: '42,env-user-2', gone: true });
});

test('an unknown function answers errCode -501000; a missing openid is a 400', async () => {
  expect((await call('nope', { openid: 'x', data: {} })).json.errCode).toBe(-501000);
  const bad = await call('whoami', { data: {} });
  expect(bad.status).toBe(400);
  expect(bad.json.code).toBe('INVALID_PARAM');
});

test('HTTP access: the route gets the integration-request event and its reply becomes the HTTP response', async () => {
  const body = '{"id":"EV-1","resource":{"ciphertext":"abc"}}';
  const res = await fetch(`${h.emu.url}/pay/notify?x=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Test': 'yes' }, body });
  expect(res.status).toBe(201);
  expect(res.headers.get('x-echo')).toBe('yes');
  const echoed = (await res.json()) as { ctx: unknown };
  expect(echoed).toEqual({ path: '/pay/notify', method: 'POST', body, b64: false, q: { x: '1' }, ctx: expect.any(Object) });
  expect(echoed.ctx).toMatchObject({ envId: 'test-env', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
});

test('HTTP access: a binary body reaches the function base64-encoded with isBase64Encoded true', async () => {
  const bytes = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f, 0x0a]);
  const res = await fetch(`${h.emu.url}/pay/notify`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
  const echoed = (await res.json()) as { b64: boolean; body: string };
  expect(echoed.b64).toBe(true);
  expect(Buffer.from(echoed.body, 'base64').equals(bytes)).toBe(true);
});

test('timer: POST /__emulator/trigger/{name} fires the config.json trigger with the timer event', async () => {
  const { json } = await postJson(`${h.emu.url}/__emulator/trigger/ticker`, {});
  expect(json.result.event).toMatchObject({ Type: 'Timer', TriggerName: 'reconcile', Message: '' });
  expect(json.result.event.Time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(json.result.ctx).toMatchObject({ SOURCE: 'wx_trigger', ENV: 'test-env' });
  expect(json.result.ctx).not.toHaveProperty('OPENID');
  const none = await postJson(`${h.emu.url}/__emulator/trigger/whoami`, {});
  expect(none.status).toBe(404);
  expect(none.json.code).toBe('CB_NO_TIMER');
});
