/**
 * Conformance, cloud calls: what `cloud.openapi.*` / `cloud.cloudPay.*` answer through the real wx-server-sdk
 * on a plain emulator (the handler table and its wire are tested in depth in ../openapi.test.ts).
 */
import { startHarness, type Harness } from '../helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe('cloud.openapi.*', () => {
  test('a registered API answers; one nobody registered says "not emulated" with -604100, never "invalid parameters"', async () => {
    h.emu.cloudCalls.openApi.register('wxa.conformance.ping', (call) => ({ pong: call.data }));
    await expect(h.cloud.openapi.wxa.conformance.ping({ n: 1 })).resolves.toMatchObject({ pong: { n: 1 } });
    await expect(h.cloud.openapi.cgiBin.nothing.here({})).rejects.toMatchObject({ errCode: -604100, errMsg: expect.stringContaining('not emulated: ') });
  });
});

describe('cloud.cloudPay.*', () => {
  test('WeChat Cloud\'s built-in cloudPay says "not emulated" unless a handler is registered', async () => {
    const err = await h.cloud.cloudPay.unifiedOrder({ body: 'x' }).catch((e: { errMsg: string }) => e);
    expect(err.errMsg).toContain('not emulated: cloudPay.unifiedOrder (see emulator/cloudbase/README.md)');
  });
});
