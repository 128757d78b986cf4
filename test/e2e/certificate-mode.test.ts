/**
 * The payment loop in platform-certificate mode (merchants without a WeChat Pay public key): the
 * functions download the platform certificates from WeChat Pay (the simulator's /v3/certificates)
 * when a notification names a serial they do not know yet. If that download fails, payNotify must
 * answer 500 (our failure: WeChat Pay retries), never 401, which would call a genuine payment forged.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CREDENTIALS_FILE, generateCredentials, writeCredentialsAtomic } from '../../emulator/credentials';
import { startHarness, type Harness } from './harness';

jest.setTimeout(120_000);

let h: Harness;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-certmode-'));
  // The stack keeps whatever dev merchant the data dir holds: this one has a platform certificate, no public key.
  writeCredentialsAtomic(join(dataDir, CREDENTIALS_FILE), generateCredentials({ platformMode: 'certificate' }));
  h = await startHarness({ dataDir });
});

afterAll(async () => {
  await h?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const OPENID = 'oCERTMODE0000000000000000001';

it('payNotify downloads the platform certificates; while that fails it answers 500, never 401, and a later attempt pays the order once', async () => {
  const info = await h.sim('GET', '/__sim/info');
  expect(JSON.stringify(info)).not.toContain('PUB_KEY_ID_');
  const created = await h.call('createOrder', { items: [{ productId: 'tea', quantity: 2 }] }, OPENID);
  expect(created.error).toBeUndefined();
  // From now on every /v3 call (certificates included) answers SYSTEM_ERROR; /__sim/pay is the payer, unaffected.
  // payNotify has not verified anything yet, so the first notification names a serial it must download.
  await h.sim('POST', '/__sim/faults', { systemErrorRate: 1 });
  await h.sim('POST', '/__sim/pay', { prepay_id: created.payment.package.replace('prepay_id=', '') });
  const deliveries = async () => (await h.sim('GET', `/__sim/notifications?out_trade_no=${created.outTradeNo}`)).notifications;
  const statusesOf = (d: { attempts?: Array<{ statuses?: number[] }> } | undefined): number[] => (d?.attempts ?? []).flatMap((a) => a.statuses ?? []);
  const failed = await h.waitFor('a failed attempt', async () => {
    const statuses = statusesOf((await deliveries())[0]);
    return statuses.length > 0 ? statuses : undefined;
  }, 30_000);
  expect(failed[0]).toBe(500);
  expect(failed).not.toContain(401);
  expect((await h.order(created.outTradeNo)).status).toBe('NOTPAY');

  // WeChat Pay is back. The simulator keeps retrying; re-send too until an attempt gets past the
  // short pause the verifier keeps after a failed download.
  await h.sim('POST', '/__sim/faults', {});
  const [delivery] = await deliveries();
  await h.waitFor('the order paid by a later attempt', async () => {
    if ((await h.order(created.outTradeNo)).status === 'SUCCESS') return true;
    await h.sim('POST', `/__sim/notifications/${delivery.id}/resend`, {});
    await new Promise((r) => setTimeout(r, 1000));
    return false;
  }, 60_000);
  expect(statusesOf((await deliveries())[0])).not.toContain(401);
  const order = await h.order(created.outTradeNo);
  expect(order.transitions).toEqual([expect.objectContaining({ from: 'NOTPAY', to: 'SUCCESS', source: 'notify' })]);
});
