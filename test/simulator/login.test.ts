// code2Session: minted codes are single-use (40163 on reuse), short-lived and bound to their appid;
// unknown codes are 40029. Errors come back as HTTP 200 {errcode, errmsg} like the real API.
import type { WechatSimulator } from '../../emulator/wechat';
import { control, rawFetch, startSim } from './helpers';

let sim: WechatSimulator;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

const exchange = (code: string, appid = sim.credentials.appid, extra = '') =>
  rawFetch(`${sim.url}/sns/jscode2session?appid=${appid}&secret=dev-secret&js_code=${code}&grant_type=authorization_code${extra}`);

test('a minted code gives the openid and a session_key once; reuse is 40163', async () => {
  const { code } = (await control(sim, 'POST', '/login-code', { openid: 'o-alice' })).json;
  const first = await exchange(code);
  expect(first.status).toBe(200);
  expect(first.json.openid).toBe('o-alice');
  expect(Buffer.from(first.json.session_key, 'base64')).toHaveLength(16);
  expect((await exchange(code)).json).toEqual({ errcode: 40163, errmsg: 'code been used' });
});

test('unknown and expired codes are 40029', async () => {
  expect((await exchange('nope')).json.errcode).toBe(40029);
  const { code } = (await control(sim, 'POST', '/login-code', { openid: 'o-bob' })).json;
  await control(sim, 'POST', '/clock', { advanceSeconds: 301 });
  expect((await exchange(code)).json.errcode).toBe(40029);
});

test('missing parameters and an unknown appid are refused', async () => {
  expect((await rawFetch(`${sim.url}/sns/jscode2session?secret=s&js_code=c&grant_type=authorization_code`)).json.errcode).toBe(41002);
  expect((await rawFetch(`${sim.url}/sns/jscode2session?appid=${sim.credentials.appid}&js_code=c&grant_type=authorization_code`)).json.errcode).toBe(41004);
  expect((await exchange('')).json.errcode).toBe(41008);
  expect((await exchange('c', 'wx0000000000000000')).json.errcode).toBe(40013);
});

test('POST /__sim/login-code needs an openid', async () => {
  const r = await control(sim, 'POST', '/login-code', {});
  expect([r.status, r.json.code]).toEqual([400, 'PARAM_ERROR']);
});
