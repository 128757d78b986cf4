/**
 * The wiring in the functions' own module state (lib/ssm/env's instance over process.env), through
 * clientFunction: SESSION_TOKEN_SECRET=ssm:… is resolved before identity is read, and a rotation in
 * SSM rebuilds the identity configuration on the next call (TTL 0 here, so no clock is needed):
 * tokens signed with the old secret stop working, tokens signed with the new one work.
 * Own test file: it sets process.env, which jest isolates per file.
 */
import { clientFunction } from '../../lib/functions/handler';
import { signSessionToken } from '../../lib/functions/session';
import { bearer, functionUrlEvent, readAnswer } from '../identity/helpers';
import { startSsmDouble, type SsmDouble } from './ssmDouble';

const APPID = 'wx1234567890abcdef';
const OLD = 'old-session-secret-0123456789-abcdefghijkl';
const NEW = 'new-session-secret-0123456789-abcdefghijkl';
const ROLE = { id: 'AKIDruntime01', key: 'runtime-role-key', token: 'runtime-role-token' };

let ssm: SsmDouble;
const printed: string[] = [];
beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
  ssm = await startSsmDouble({ [ROLE.id]: { secretKey: ROLE.key, token: ROLE.token } });
  ssm.putSecret('identity', 'v1', OLD);
  Object.assign(process.env, {
    IDENTITY_MODE: 'session',
    WX_APPID: APPID,
    SESSION_TOKEN_SECRET: 'ssm:identity',
    SECRETS_CACHE_TTL_SECONDS: '0',
    TENCENTCLOUD_SECRETID: ROLE.id,
    TENCENTCLOUD_SECRETKEY: ROLE.key,
    TENCENTCLOUD_SESSIONTOKEN: ROLE.token,
    TENCENTCLOUD_REGION: 'ap-guangzhou',
    TENCENTCLOUD_SSM_ENDPOINT: ssm.url,
  });
});
afterAll(() => ssm.close());

const token = (secret: string) => signSessionToken({ secret: Buffer.from(secret), openid: 'oALICE', appid: APPID, ttlSeconds: 3600, now: Date.now() }).token;
const whoami = clientFunction(() => ({}), async (_data, caller) => ({ openid: caller.openid }));
const call = async (secret: string) => readAnswer(await whoami(functionUrlEvent({ data: {} }, bearer(token(secret)))));

test('the session secret comes from SSM, and a rotation there takes effect on the next call', async () => {
  expect((await call(OLD)).payload).toEqual({ result: { openid: 'oALICE' } });
  expect((await call(NEW)).statusCode).toBe(401);
  expect(ssm.calls).toHaveLength(2);

  ssm.putSecret('identity', 'v2', NEW);
  expect((await call(NEW)).payload).toEqual({ result: { openid: 'oALICE' } });
  expect((await call(OLD)).statusCode).toBe(401);
  expect(ssm.calls.every((c) => c.secretName === 'identity' && c.versionId === 'SSM_Current' && c.token === ROLE.token)).toBe(true);
  expect(printed.filter((l) => l.includes('"event":"secrets.fetched"'))).toHaveLength(ssm.calls.length);
  expect(printed.join('\n')).not.toMatch(new RegExp(`${OLD}|${NEW}|${ROLE.key}`));
});
