// login in session mode against the WeChat simulator's /sns/jscode2session on 127.0.0.1: a minted code
// becomes a signed token; used (40163) and invalid (40029) codes become clear UNAUTHENTICATED errors;
// the app secret and session_key appear in no answer and no log line.
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { generateCredentials } from '../../emulator/credentials';
import { startWechatSimulator, type WechatSimulator } from '../../emulator/wechat';
import { code2Session, CODE2SESSION_ERROR_CODES, Code2SessionError } from '../../lib/functions/code2session';
import { loginFunction, type Caller } from '../../lib/functions/handler';
import { verifySessionToken } from '../../lib/functions/session';
import { functionUrlEvent, readAnswer, SESSION_SECRET } from './helpers';

const APP_SECRET = 'app-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
let sim: WechatSimulator;
let env: Record<string, string>;
let loggedIn: Caller[];
let errors: jest.SpyInstance;

beforeAll(async () => {
  sim = await startWechatSimulator({ port: 0, credentials: generateCredentials(), seed: 7 });
  env = { IDENTITY_MODE: 'session', WX_APPID: sim.credentials.appid, SESSION_TOKEN_SECRET: SESSION_SECRET, WX_APP_SECRET: APP_SECRET, WX_API_BASE_URL: sim.url, SESSION_TTL_SECONDS: '600' };
});
afterAll(() => sim.close());
beforeEach(() => {
  loggedIn = [];
  errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => errors.mockRestore());

async function mintCode(openid: string): Promise<string> {
  const res = await fetch(`${sim.url}/__sim/login-code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid }) });
  return ((await res.json()) as { code: string }).code;
}

const login = (e: Record<string, string> = env) => loginFunction(() => ({ OPENID: 'oPLATFORM' }), async (caller) => {
  loggedIn.push(caller);
}, { env: e });

function expectNoSecrets(text: string): void {
  expect(text).not.toContain(APP_SECRET);
  expect(text).not.toMatch(/session_key/);
}

test('a minted code → {openid, token, expiresAt}; the token verifies for that openid', async () => {
  const before = Date.now();
  const a = readAnswer(await login()(functionUrlEvent({ data: { code: await mintCode('oALICE') } })));
  expect(a.statusCode).toBe(200);
  const { openid, token, expiresAt } = a.payload.result;
  expect(openid).toBe('oALICE');
  expect(Object.keys(a.payload.result).sort()).toEqual(['expiresAt', 'openid', 'token']);
  expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 600_000);
  expect(verifySessionToken(token, { secret: Buffer.from(SESSION_SECRET), now: Date.now(), appid: sim.credentials.appid }).openid).toBe('oALICE');
  expect(loggedIn).toEqual([{ openid: 'oALICE', appid: sim.credentials.appid }]);
  expectNoSecrets(a.raw);
});

test('a used code is 401 naming 40163; an unknown code is 401 naming 40029; nobody is logged in', async () => {
  const code = await mintCode('oBOB');
  expect(readAnswer(await login()(functionUrlEvent({ data: { code } }))).statusCode).toBe(200);
  loggedIn = [];
  const used = readAnswer(await login()(functionUrlEvent({ data: { code } })));
  expect([used.statusCode, used.payload.result.error.code]).toEqual([401, 'UNAUTHENTICATED']);
  expect(used.payload.result.error.message).toMatch(/already used.*40163.*wx\.login/);
  const unknown = readAnswer(await login()(functionUrlEvent({ data: { code: 'deadbeefdeadbeef' } })));
  expect([unknown.statusCode, unknown.payload.result.error.code]).toEqual([401, 'UNAUTHENTICATED']);
  expect(unknown.payload.result.error.message).toMatch(/invalid or expired.*40029.*wx\.login/);
  expect(loggedIn).toEqual([]);
});

test('a missing or malformed code is 400 INVALID_INPUT before WeChat is asked', async () => {
  for (const data of [{}, { code: '' }, { code: 42 }, { code: 'a b' }, { code: 'x'.repeat(129) }]) {
    const a = readAnswer(await login()(functionUrlEvent({ data })));
    expect([a.statusCode, a.payload.result.error.code]).toEqual([400, 'INVALID_INPUT']);
  }
});

test('a body openid does not log anyone in', async () => {
  const a = readAnswer(await login()(functionUrlEvent({ openid: 'oMALLORY', data: { openid: 'oMALLORY' } })));
  expect(a.statusCode).toBe(400);
  expect(loggedIn).toEqual([]);
});

test('misconfiguration (no WX_APP_SECRET, unknown appid) is INTERNAL; the log names the problem, never the secret', async () => {
  const { WX_APP_SECRET: _omit, ...noSecret } = env;
  const a = readAnswer(await login(noSecret)(functionUrlEvent({ data: { code: await mintCode('oCAROL') } })));
  expect([a.statusCode, a.payload.result.error.code]).toEqual([500, 'INTERNAL']);
  expect(errors.mock.calls[0][0]).toMatch(/WX_APP_SECRET is not set/);
  const b = readAnswer(await login({ ...env, WX_APPID: 'wx0000000000000000' })(functionUrlEvent({ data: { code: await mintCode('oCAROL') } })));
  expect([b.statusCode, b.payload.result.error.code]).toEqual([500, 'INTERNAL']);
  expect(errors.mock.calls[1][0]).toMatch(/errcode 40013/);
  for (const [line] of errors.mock.calls) expectNoSecrets(String(line));
  expectNoSecrets(a.raw + b.raw);
});

test('on WeChat Cloud (wxcontext) login answers the platform openid and ignores a code', async () => {
  const result = await loginFunction(() => ({ OPENID: 'oPLATFORM' }), async (c) => {
    loggedIn.push(c);
  }, { env: {} })({ code: 'whatever' });
  expect(result).toEqual({ openid: 'oPLATFORM' });
  expect(loggedIn).toEqual([{ openid: 'oPLATFORM' }]);
});

describe('code2Session transport failures', () => {
  let server: Server;
  let url: string;
  let reply: (res: import('http').ServerResponse) => void;
  beforeAll(async () => {
    server = createServer((_req, res) => reply(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  async function failure(o: Partial<Parameters<typeof code2Session>[0]> = {}): Promise<Code2SessionError> {
    try {
      await code2Session({ baseUrl: url, appid: 'wx1234567890abcdef', appSecret: APP_SECRET, code: 'c0de', ...o });
    } catch (e) {
      expect(e).toBeInstanceOf(Code2SessionError);
      expectNoSecrets((e as Error).message);
      return e as Code2SessionError;
    }
    throw new Error('expected a failure');
  }

  test('HTML error pages, busy (-1) and rate limit (45011) are WX_API_UNAVAILABLE', async () => {
    reply = (res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
    expect((await failure()).code).toBe(CODE2SESSION_ERROR_CODES.WX_API_UNAVAILABLE);
    reply = (res) => res.end(JSON.stringify({ errcode: -1, errmsg: 'system error' }));
    expect((await failure()).code).toBe(CODE2SESSION_ERROR_CODES.WX_API_UNAVAILABLE);
    reply = (res) => res.end(JSON.stringify({ errcode: 45011, errmsg: 'api minute-quota reach limit' }));
    expect((await failure()).errcode).toBe(45011);
  });

  test('a hung server times out; a closed port is a network failure; neither message carries the secret', async () => {
    reply = () => undefined;
    const hung = await failure({ timeoutMs: 100 });
    expect([hung.code, hung.message]).toEqual([CODE2SESSION_ERROR_CODES.WX_API_UNAVAILABLE, 'GET /sns/jscode2session timed out after 100 ms']);
    const closed = await failure({ baseUrl: 'http://127.0.0.1:1' });
    expect(closed.message).toMatch(/ECONNREFUSED/);
  });
});
