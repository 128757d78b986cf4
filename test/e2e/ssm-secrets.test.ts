/**
 * The real built functions with their merchant private key and APIv3 key in Secrets Manager:
 * WXPAY_PRIVATE_KEY=ssm:… and WXPAY_APIV3_KEY=ssm:… in the function environment, the local SSM
 * double (TC3 + role token verified) on 127.0.0.1, the runtime role's credentials in
 * TENCENTCLOUD_SECRETID/SECRETKEY/SESSIONTOKEN as SCF would set them. createOrder signs the prepay
 * call and paySign with the key from SSM (the simulator verifies both), payNotify decrypts the
 * notification with the APIv3 key from SSM, and the order ends SUCCESS.
 */
import { startSsmDouble, type SsmDouble } from '../config/ssmDouble';
import { startHarness, type Harness } from './harness';

jest.setTimeout(90_000);

const ROLE = { id: 'AKIDscfrole01', key: 'scf-role-secret-key', token: 'scf-role-session-token' };
const ALICE = 'oALICE0000000000000000ssm01';

let ssm: SsmDouble;
let h: Harness;
beforeAll(async () => {
  ssm = await startSsmDouble({ [ROLE.id]: { secretKey: ROLE.key, token: ROLE.token } });
  h = await startHarness({
    functionEnv: {
      WXPAY_PRIVATE_KEY: 'ssm:wxpay-private-key',
      WXPAY_APIV3_KEY: 'ssm:wxpay-apiv3@v1',
      TENCENTCLOUD_SSM_ENDPOINT: ssm.url,
      TENCENTCLOUD_SECRETID: ROLE.id,
      TENCENTCLOUD_SECRETKEY: ROLE.key,
      TENCENTCLOUD_SESSIONTOKEN: ROLE.token,
    },
  });
  // The stack made this run's merchant credentials; store them where the functions will look, before the first call.
  ssm.putSecret('wxpay-private-key', 'v1', h.stack.credentials.merchant.privateKey);
  ssm.putSecret('wxpay-apiv3', 'v1', h.stack.credentials.apiV3Key);
});
afterAll(async () => {
  await h?.close();
  await ssm?.close();
});

test('createOrder → pay → notify → SUCCESS with both keys read from SSM, each fetched once per function instance, never logged', async () => {
  const created = await h.call('createOrder', { items: [{ productId: 'coffee', quantity: 1 }] }, ALICE);
  expect(created.error).toBeUndefined();
  expect(created.payment).toMatchObject({ signType: 'RSA', package: expect.stringMatching(/^prepay_id=/) });
  expect(ssm.calls.map((c) => `${c.secretName}@${c.versionId}`).sort()).toEqual(['wxpay-apiv3@v1', 'wxpay-private-key@SSM_Current']);
  expect(ssm.calls.every((c) => c.token === ROLE.token)).toBe(true);

  // A second order on the warm instance: served from the instance's cache.
  const second = await h.call('createOrder', { items: [{ productId: 'coffee', quantity: 2 }] }, ALICE);
  expect(second.error).toBeUndefined();
  expect(ssm.calls).toHaveLength(2);

  // The simulator checks paySign against the merchant public key, then notifies payNotify,
  // which must decrypt with the APIv3 key it got from SSM.
  const paid = await h.sim('POST', '/__sim/pay', { ...created.payment, result: 'SUCCESS' });
  expect(paid.trade_state).toBe('SUCCESS');
  const order = await h.waitFor('order SUCCESS', async () => {
    const o = await h.order(created.outTradeNo);
    return o?.status === 'SUCCESS' && o;
  });
  expect(order.transitions[0]).toMatchObject({ from: 'NOTPAY', to: 'SUCCESS', source: 'notify' });
  expect(ssm.calls.length).toBeGreaterThanOrEqual(4); // payNotify's instance fetched its own copies

  const logs = h.logs.join('\n');
  expect(logs).toContain('secrets.fetched');
  expect(logs).not.toContain(h.stack.credentials.apiV3Key);
  for (const line of h.stack.credentials.merchant.privateKey.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) {
    expect(logs).not.toContain(line);
  }
  expect(logs).not.toContain(ROLE.key);
});
