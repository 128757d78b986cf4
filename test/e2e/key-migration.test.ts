/**
 * WeChat Pay's switch from platform certificates to the public key, end to end on the local stack:
 * the simulator in migration mode (answers under the key a request names, notifications signed by
 * either at 50 %), the functions configured with both keys (WXPAY_PLATFORM_CERTIFICATES=true next to
 * the public key). 50 orders paid, each exactly once, whichever key signed its notification.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { generateRsaKeyPair, loadOrCreateCredentials } from '../../emulator/credentials';
import { startHarness, type Harness } from './harness';

jest.setTimeout(240_000);

const PUB_ID = 'PUB_KEY_ID_0100000000000000000000000042';
const pair = generateRsaKeyPair();
let h: Harness;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-migration-'));
  loadOrCreateCredentials(dataDir, { platformMode: 'certificate' });
  h = await startHarness({
    dataDir,
    functionTimeoutMs: 20_000,
    functionEnv: { WXPAY_PUBLIC_KEY_ID: PUB_ID, WXPAY_PUBLIC_KEY: pair.publicKey, WXPAY_PLATFORM_CERTIFICATES: 'true' },
  });
  const keys = await h.sim('POST', '/__sim/keys', { mode: 'migration', notifyPublicKeyShare: 0.5, publicKey: { id: PUB_ID, privateKey: pair.privateKey } });
  expect(keys).toMatchObject({ mode: 'migration', publicKeyId: PUB_ID });
});
afterAll(async () => {
  await h?.close();
});

it('50 orders paid in migration mode, notifications signed by a mix of keys, each order paid exactly once', async () => {
  const created: Array<{ outTradeNo: string; payment: Record<string, string> }> = [];
  for (let i = 0; i < 50; i++) {
    const order = await h.call('createOrder', { items: [{ productId: 'tea', quantity: 1 + (i % 3) }] }, `oMIGRATION${String(i).padStart(17, '0')}`);
    expect(order.error).toBeUndefined();
    created.push(order);
  }
  for (const o of created) expect((await h.sim('POST', '/__sim/pay', o.payment)).trade_state).toBe('SUCCESS');
  await h.stack.simulator.state.settled();
  const { notifications } = await h.waitFor('every notification delivered', async () => {
    const log = await h.sim('GET', '/__sim/notifications');
    return log.notifications.length === 50 && log.notifications.every((n: any) => n.state === 'delivered') && log;
  }, 120_000);
  const keys = await h.sim('GET', '/__sim/keys');
  const signedBy = notifications.flatMap((n: any) => n.attempts.flatMap((a: any) => a.serials ?? []));
  expect(signedBy.filter((s: string) => s === PUB_ID).length).toBeGreaterThan(0);
  expect(signedBy.filter((s: string) => s === keys.certificateSerials[0]).length).toBeGreaterThan(0);
  for (const o of created) {
    const order = await h.order(o.outTradeNo);
    expect(order.status).toBe('SUCCESS');
    expect(order.transitions).toEqual([expect.objectContaining({ from: 'NOTPAY', to: 'SUCCESS', source: 'notify' })]);
  }
  expect(notifications.every((n: any) => n.attempts[n.attempts.length - 1].outcome === 'delivered')).toBe(true);
  expect(h.logs.join('\n')).not.toMatch(/notify\.rejected/);
});
