// Conformance: lib/wechatpay's own client against the simulator, in both platform key modes, every
// endpoint and the error paths it must surface with WeChat's codes.
import { generateCredentials, type DevCredentials } from '../../emulator/credentials';
import type { WechatSimulator } from '../../emulator/wechat';
import { createWechatPayClient, ERROR_CODES, type WxPayError } from '../../lib/wechatpay';
import { control, startSim, testCredentials } from './helpers';
import { refundsFinished } from '../support/refunds-finished';

type Client = ReturnType<typeof createWechatPayClient>;

function clientFor(sim: WechatSimulator, c: DevCredentials, mode: 'publicKey' | 'certificate', extra: Record<string, unknown> = {}): Client {
  return createWechatPayClient({
    mchid: c.mchid, serialNo: c.merchant.serialNo, privateKey: c.merchant.privateKey, apiV3Key: c.apiV3Key,
    appid: c.appid, notifyUrl: 'https://notify.local.test/pay/notify', baseUrl: sim.url,
    ...(mode === 'publicKey' ? { publicKeyId: c.platform.serial, publicKey: c.platform.publicKey } : {}),
    maxRetries: 0, retryBaseDelayMs: 1, ...extra,
  });
}

async function rejects(p: Promise<unknown>): Promise<WxPayError> {
  try {
    await p;
  } catch (err) {
    return err as WxPayError;
  }
  throw new Error('expected a rejection');
}

const certCreds = generateCredentials({ platformMode: 'certificate' });

describe.each([
  ['public-key mode', 'publicKey' as const],
  ['platform-certificate mode', 'certificate' as const],
])('lib/wechatpay client, %s', (_label, mode) => {
  let sim: WechatSimulator;
  let client: Client;
  const creds = mode === 'publicKey' ? testCredentials() : certCreds;
  beforeAll(async () => {
    sim = await startSim({ credentials: creds, timeScale: 1000 });
    client = clientFor(sim, creds, mode);
  });
  afterAll(async () => {
    client.close();
    await sim.close();
  });

  test('prepay → pay → query (both ways) → refund → query refund → close of another order', async () => {
    const { prepay_id } = await client.jsapiPrepay({ description: 'Tea', out_trade_no: `C_${mode}_01`, amount: { total: 250 }, payer: { openid: 'o-1' } });
    expect((await client.queryByOutTradeNo(`C_${mode}_01`)).trade_state).toBe('NOTPAY');
    const params = client.paymentParams(prepay_id);
    expect((await control(sim, 'POST', '/pay', params)).json.errMsg).toBe('requestPayment:ok');
    const t = await client.queryByOutTradeNo(`C_${mode}_01`);
    expect(t).toMatchObject({ trade_state: 'SUCCESS', amount: { total: 250 } });
    expect((await client.queryByTransactionId(t.transaction_id!)).out_trade_no).toBe(`C_${mode}_01`);
    const refund = await client.createRefund({ out_trade_no: `C_${mode}_01`, out_refund_no: `R_${mode}_01`, amount: { refund: 50, total: 250, currency: 'CNY' } });
    expect(refund.status).toBe('PROCESSING');
    await refundsFinished(sim.state);
    expect((await client.queryRefund(`R_${mode}_01`)).status).toBe('SUCCESS');
    await client.jsapiPrepay({ description: 'Tea', out_trade_no: `C_${mode}_02`, amount: { total: 1 }, payer: { openid: 'o-1' } });
    await expect(client.closeOrder(`C_${mode}_02`)).resolves.toBeUndefined();
    expect((await client.queryByOutTradeNo(`C_${mode}_02`)).trade_state).toBe('CLOSED');
  });

  test('WeChat error codes surface as WxPayError with the code and HTTP status', async () => {
    const missing = await rejects(client.queryByOutTradeNo('NOPE_000001'));
    expect([missing.code, missing.httpStatus]).toEqual(['ORDER_NOT_EXIST', 404]);
    const bad = await rejects(client.jsapiPrepay({ description: 'x', out_trade_no: 'bad', amount: { total: 1 }, payer: { openid: 'o' } }));
    expect([bad.code, bad.httpStatus]).toEqual(['PARAM_ERROR', 400]);
    const app = await rejects(client.jsapiPrepay({ appid: 'wx0000000000000000', description: 'x', out_trade_no: 'APPID_0001', amount: { total: 1 }, payer: { openid: 'o' } }));
    expect(app.code).toBe('APPID_MCHID_NOT_MATCH');
    const refund = await rejects(client.queryRefund('NOPE'));
    expect(refund.code).toBe('RESOURCE_NOT_EXISTS');
  });

  test('SYSTEM_ERROR and FREQUENCY_LIMITED faults reach the caller', async () => {
    await control(sim, 'POST', '/faults', { systemErrorRate: 1 });
    const e1 = await rejects(client.queryByOutTradeNo(`C_${mode}_01`));
    expect([e1.code, e1.httpStatus]).toEqual(['SYSTEM_ERROR', 500]);
    await control(sim, 'POST', '/faults', { frequencyLimitRate: 1 });
    expect((await rejects(client.queryByOutTradeNo(`C_${mode}_01`))).code).toBe('FREQUENCY_LIMITED');
    await control(sim, 'POST', '/faults', {});
  });

  test('order and refund state errors reach the caller as WxPayError with WeChat code and HTTP status', async () => {
    const order = (no: string, total = 100) => client.jsapiPrepay({ description: 'Tea', out_trade_no: no, amount: { total }, payer: { openid: 'o-1' } });
    // Paid: a new prepay for it and a close are both ORDERPAID.
    const { prepay_id } = await order(`S_${mode}_01`);
    expect((await control(sim, 'POST', '/pay', client.paymentParams(prepay_id))).json.errMsg).toBe('requestPayment:ok');
    const paid = await rejects(order(`S_${mode}_01`));
    expect([paid.code, paid.httpStatus]).toEqual(['ORDERPAID', 400]);
    const closePaid = await rejects(client.closeOrder(`S_${mode}_01`));
    expect([closePaid.code, closePaid.httpStatus]).toEqual(['ORDERPAID', 400]);
    // Closed: ordering again is ORDER_CLOSED.
    await order(`S_${mode}_02`);
    await client.closeOrder(`S_${mode}_02`);
    const closed = await rejects(order(`S_${mode}_02`));
    expect([closed.code, closed.httpStatus]).toEqual(['ORDER_CLOSED', 400]);
    // Same out_trade_no, different amount: OUT_TRADE_NO_USED.
    await order(`S_${mode}_03`);
    const reused = await rejects(order(`S_${mode}_03`, 101));
    expect([reused.code, reused.httpStatus]).toEqual(['OUT_TRADE_NO_USED', 403]);
    // Refunding an unpaid order: TRADE_ERROR; refunding more than was paid: INVALID_REQUEST.
    const unpaid = await rejects(client.createRefund({ out_trade_no: `S_${mode}_03`, out_refund_no: `SR_${mode}_01`, amount: { refund: 1, total: 100, currency: 'CNY' } }));
    expect([unpaid.code, unpaid.httpStatus]).toEqual(['TRADE_ERROR', 403]);
    const over = await rejects(client.createRefund({ out_trade_no: `S_${mode}_01`, out_refund_no: `SR_${mode}_02`, amount: { refund: 101, total: 100, currency: 'CNY' } }));
    expect([over.code, over.httpStatus]).toEqual(['INVALID_REQUEST', 400]);
    // Nothing was refunded by the refused calls.
    expect((await client.queryByOutTradeNo(`S_${mode}_01`)).trade_state).toBe('SUCCESS');
  });

  test('the latencyMs fault holds /v3 answers (control calls overtake them) and they still verify', async () => {
    await control(sim, 'POST', '/faults', { latencyMs: 1500 });
    try {
      // A client whose timeout is below the latency times out: the answer really is held back.
      const impatient = clientFor(sim, creds, mode, { timeoutMs: 200 });
      try {
        const e = await rejects(impatient.queryByOutTradeNo(`C_${mode}_01`));
        expect(e.code).toBe(ERROR_CODES.TIMEOUT);
      } finally {
        impatient.close();
      }
      // A patient one gets a verified answer; a control call sent after it finishes first.
      const finished: string[] = [];
      const held = client.queryByOutTradeNo(`C_${mode}_01`).then((t) => {
        finished.push('v3 query');
        return t;
      });
      await control(sim, 'GET', '/info');
      finished.push('control');
      expect((await held).out_trade_no).toBe(`C_${mode}_01`);
      expect(finished).toEqual(['control', 'v3 query']);
    } finally {
      await control(sim, 'POST', '/faults', {});
    }
  });

  test('a client with the wrong merchant key gets SIGN_ERROR', async () => {
    const other = generateCredentials();
    const wrong = clientFor(sim, { ...creds, merchant: other.merchant }, mode);
    try {
      const e = await rejects(wrong.queryByOutTradeNo(`C_${mode}_01`));
      expect([e.code, e.httpStatus]).toEqual(['SIGN_ERROR', 401]);
    } finally {
      wrong.close();
    }
  });

  if (mode === 'certificate') {
    test('downloadCertificates returns the X.509 platform certificate; after rotation responses are signed by the new one and the client follows', async () => {
      const certs = await client.downloadCertificates();
      expect(certs.map((c) => c.serial_no)).toEqual([creds.platform.serial]);
      expect(certs[0].certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const rotated = (await control(sim, 'POST', '/certificates/rotate')).json.serial;
      expect(rotated).toMatch(/^[0-9A-F]{40}$/);
      // The next response carries an unknown serial: the client must refresh and still verify it.
      const fresh = clientFor(sim, creds, mode, { certificateMinRefreshIntervalMs: 0 });
      try {
        await fresh.downloadCertificates();
        await control(sim, 'POST', '/certificates/rotate');
        expect((await fresh.queryByOutTradeNo(`C_${mode}_01`)).trade_state).toBe('REFUND');
        expect((await fresh.downloadCertificates()).length).toBe(3);
      } finally {
        fresh.close();
      }
    });
  } else {
    test('downloadCertificates fails with RESOURCE_NOT_EXISTS for a public-key-only merchant; rotation is refused', async () => {
      const e = await rejects(client.downloadCertificates());
      expect([e.code, e.httpStatus]).toEqual(['RESOURCE_NOT_EXISTS', 404]);
      expect((await control(sim, 'POST', '/certificates/rotate')).status).toBe(400);
    });

    test('a public-key client configured with the wrong public key id refuses the simulator responses', async () => {
      const wrong = clientFor(sim, { ...creds, platform: { ...creds.platform, serial: 'PUB_KEY_ID_0000' } }, mode, { platformCertificates: false });
      try {
        expect((await rejects(wrong.queryByOutTradeNo(`C_${mode}_01`))).code).toBe(ERROR_CODES.UNKNOWN_SERIAL);
      } finally {
        wrong.close();
      }
    });
  }
});
