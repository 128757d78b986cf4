// The classic signing mistakes are refused with 401 SIGN_ERROR in the real envelope, and a correct
// request passes; every answer is signed by the platform key over the exact bytes sent.
import { generateRsaKeyPair } from '../../emulator/credentials';
import type { WechatSimulator } from '../../emulator/wechat';
import { prepayBody, signedRequest, startSim, verifyResponse } from './helpers';

let sim: WechatSimulator;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

const PATH = '/v3/pay/transactions/jsapi';

function expectSignError(r: { status: number; json: any }): void {
  expect(r.status).toBe(401);
  expect(r.json.code).toBe('SIGN_ERROR');
  expect(typeof r.json.message).toBe('string');
}

test('a correctly signed request is accepted and the response verifies over its raw bytes', async () => {
  const r = await signedRequest(sim, 'POST', PATH, prepayBody(sim, 'AUTH_OK_0001'));
  expect(r.status).toBe(200);
  expect(r.json.prepay_id).toMatch(/^wx\d{14}/);
  expect(() => verifyResponse(sim, r)).not.toThrow();
  expect(r.headers['wechatpay-serial']).toBe(sim.credentials.platform.serial);
});

test('signing a re-serialised body (different bytes from those sent) is rejected', async () => {
  const body = prepayBody(sim, 'AUTH_RESER_01');
  const sent = JSON.stringify(body, null, 2); // pretty-printed on the wire
  const r = await signedRequest(sim, 'POST', PATH, sent, { signedBody: JSON.stringify(body) });
  expectSignError(r);
  expect(sim.state.orders.size).toBe(1); // nothing was created by the refused call (only the first test's order)
});

test('a millisecond timestamp is rejected', async () => {
  expectSignError(await signedRequest(sim, 'POST', PATH, prepayBody(sim, 'AUTH_MS_0001'), { timestamp: Date.now() }));
});

test('a timestamp more than 5 minutes old (stale) or ahead is rejected', async () => {
  // The wire clock is real time, so keep a margin over 300 s: on a loaded machine seconds pass
  // between signing and checking. verifyRequestSignature's boundary (301 s) is tested with an
  // injected clock in test/wechatpay/verify.test.ts.
  const nowSeconds = (): number => Math.floor(Date.now() / 1000);
  expectSignError(await signedRequest(sim, 'POST', PATH, prepayBody(sim, 'AUTH_OLD_0001'), { timestamp: nowSeconds() - 320 }));
  expectSignError(await signedRequest(sim, 'POST', PATH, prepayBody(sim, 'AUTH_NEW_0001'), { timestamp: nowSeconds() + 320 }));
});

test('the platform serial (or any serial other than the merchant certificate) is rejected', async () => {
  const r = await signedRequest(sim, 'POST', PATH, prepayBody(sim, 'AUTH_SER_0001'), { serialNo: sim.credentials.platform.serial });
  expectSignError(r);
  expect(r.json.message).toMatch(/merchant API certificate serial/);
});

test('a signature made with another private key is rejected', async () => {
  expectSignError(await signedRequest(sim, 'POST', PATH, prepayBody(sim, 'AUTH_KEY_0001'), { privateKey: generateRsaKeyPair().privateKey }));
});

test('the path or query signed must be the one requested', async () => {
  const { buildAuthorization } = await import('../../lib/wechatpay');
  const c = sim.credentials;
  const authorization = buildAuthorization({ method: 'GET', url: '/v3/pay/transactions/out-trade-no/AUTH_OK_0001', mchid: c.mchid, serialNo: c.merchant.serialNo, privateKey: c.merchant.privateKey });
  expectSignError(await signedRequest(sim, 'GET', `/v3/pay/transactions/out-trade-no/AUTH_OK_0001?mchid=${c.mchid}`, undefined, { authorization }));
});

test('missing or malformed Authorization, and an unknown mchid, are rejected', async () => {
  expectSignError(await signedRequest(sim, 'POST', PATH, prepayBody(sim, 'AUTH_NONE_001'), { authorization: null }));
  expectSignError(await signedRequest(sim, 'POST', PATH, prepayBody(sim, 'AUTH_BAD_0001'), { authorization: 'Bearer abc' }));
  expectSignError(await signedRequest(sim, 'POST', PATH, prepayBody(sim, 'AUTH_MCH_0001'), { mchid: '1999999999' }));
});

test('error answers carry the envelope {code, message} and, like the real service\'s, no Wechatpay-* headers', async () => {
  const r = await signedRequest(sim, 'POST', PATH, prepayBody(sim, 'AUTH_SIG_0001'), { timestamp: 1 });
  expect(Object.keys(r.json).sort()).toEqual(['code', 'message']);
  expect(Object.keys(r.headers).filter((h) => h.startsWith('wechatpay-'))).toEqual([]);
  expect(() => verifyResponse(sim, r)).toThrow();
});
