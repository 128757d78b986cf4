import { X509Certificate } from 'crypto';
import type { PayGateway } from '../../lib/orders/deps';
import {
  buildWechatpaySignatureHeaders,
  createWechatPayClient,
  encryptResource,
  ERROR_CODES,
  verifySha256Rsa,
  WechatPayClientConfig,
} from '../../lib/wechatpay';
import { API_V3_KEY, generateRsaKeyPair, selfSignedCertificate } from './fixtures';
import { Reply, startTestServer } from './test-server';

const merchant = generateRsaKeyPair();
const platform = generateRsaKeyPair();
const PUB_ID = 'PUB_KEY_ID_0100000000000001';
const code = (c: string) => expect.objectContaining({ code: c });

/** A signed reply, as WeChat signs every 2xx. */
/** The simulated WeChat's clock (tests that inject a client clock move this one with it). */
let serverNow: () => number = Date.now;
const signed = (status: number, body: object | string, serial = PUB_ID, key = platform.privateKey, now = serverNow()): Reply => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, body: text, headers: buildWechatpaySignatureHeaders({ body: text, privateKey: key, serial, now }) };
};

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let handler: (r: { method: string; url: string; body: string }) => Reply;
let clients: Array<{ close(): void }> = [];

beforeEach(async () => {
  serverNow = Date.now;
  server = await startTestServer(merchant.publicKey, (r) => handler(r), () => serverNow());
});
afterEach(async () => {
  clients.forEach((c) => c.close());
  clients = [];
  await server.close();
});

const client = (over: Partial<WechatPayClientConfig> = {}) => {
  const c = createWechatPayClient({
    mchid: '1900000001', serialNo: 'MERCHANT_SERIAL', privateKey: merchant.privateKey, apiV3Key: API_V3_KEY,
    appid: 'wxAPP', notifyUrl: 'https://example.com/pay/notify', publicKeyId: PUB_ID, publicKey: platform.publicKey,
    baseUrl: server.url, retryBaseDelayMs: 1, ...over,
  });
  clients.push(c);
  return c;
};

describe('createWechatPayClient (public-key mode)', () => {
  it('jsapiPrepay signs the exact body, fills mchid/appid/notify_url/currency and returns the verified prepay_id', async () => {
    handler = () => signed(200, { prepay_id: 'wx201410272009395522657a690389285100' });
    const res = await client().jsapiPrepay({ description: 'Tea', out_trade_no: 'ORDER_0001', amount: { total: 100 }, payer: { openid: 'o1' } });
    expect(res).toEqual({ prepay_id: 'wx201410272009395522657a690389285100' });
    const [req] = server.received;
    expect(req.authError).toBeUndefined();
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v3/pay/transactions/jsapi');
    expect(JSON.parse(req.body)).toEqual({
      description: 'Tea', out_trade_no: 'ORDER_0001', amount: { total: 100, currency: 'CNY' }, payer: { openid: 'o1' },
      appid: 'wxAPP', mchid: '1900000001', notify_url: 'https://example.com/pay/notify',
    });
    expect(req.headers['content-type']).toBe('application/json');
  });

  it('cuts description (127), attach (128) and refund reason (80) to WeChat Pay\'s UTF-8 byte limits on character boundaries', async () => {
    handler = (r) => (r.url.startsWith('/v3/refund') ? signed(200, { refund_id: '5', out_refund_no: 'R1', status: 'PROCESSING' }) : signed(200, { prepay_id: 'wx1' }));
    const c = client();
    const name = '云南普洱熟茶饼'.repeat(9).slice(0, 60);
    await c.jsapiPrepay({ description: name, attach: '附'.repeat(50), out_trade_no: 'ORDER_0001', amount: { total: 100 }, payer: { openid: 'o1' } });
    await c.createRefund({ out_refund_no: 'R1', out_trade_no: 'ORDER_0001', reason: '退'.repeat(30), amount: { refund: 1, total: 100, currency: 'CNY' } });
    const prepay = JSON.parse(server.received[0].body);
    const refund = JSON.parse(server.received[1].body);
    expect(Buffer.byteLength(prepay.description)).toBeLessThanOrEqual(127);
    expect(Buffer.byteLength(prepay.attach)).toBeLessThanOrEqual(128);
    expect(Buffer.byteLength(refund.reason)).toBeLessThanOrEqual(80);
    expect(prepay.description).toBe(name.slice(0, 41) + '…');
    expect(refund.reason).toBe('退'.repeat(25) + '…');
  });

  it('queries by out_trade_no and transaction_id with mchid in the signed query, percent-encoding the id', async () => {
    handler = () => signed(200, { out_trade_no: 'A|1', trade_state: 'NOTPAY' });
    const c = client();
    expect(await c.queryByOutTradeNo('A|1')).toEqual({ out_trade_no: 'A|1', trade_state: 'NOTPAY' });
    await c.queryByTransactionId('4200000001');
    expect(server.received.map((r) => r.url)).toEqual([
      '/v3/pay/transactions/out-trade-no/A%7C1?mchid=1900000001',
      '/v3/pay/transactions/id/4200000001?mchid=1900000001',
    ]);
    expect(server.received.every((r) => !r.authError && r.method === 'GET' && r.body === '')).toBe(true);
  });

  it('closeOrder accepts a signed 204 and sends {mchid}', async () => {
    handler = () => signed(204, '');
    await expect(client().closeOrder('ORDER_0001')).resolves.toBeUndefined();
    expect(server.received[0]).toMatchObject({ url: '/v3/pay/transactions/out-trade-no/ORDER_0001/close', body: '{"mchid":"1900000001"}' });
  });

  it('createRefund and queryRefund round-trip', async () => {
    handler = (r) => signed(200, { refund_id: 'R', out_refund_no: 'RF1', status: r.method === 'POST' ? 'PROCESSING' : 'SUCCESS' });
    const c = client();
    await expect(c.createRefund({ out_refund_no: 'RF1', out_trade_no: 'ORDER_0001', amount: { refund: 1, total: 100, currency: 'CNY' } })).resolves.toMatchObject({ status: 'PROCESSING' });
    await expect(c.queryRefund('RF1')).resolves.toMatchObject({ status: 'SUCCESS' });
    expect(JSON.parse(server.received[0].body).notify_url).toBe('https://example.com/pay/notify');
    expect(server.received[1].url).toBe('/v3/refund/domestic/refunds/RF1');
  });

  it('treats a 2xx without signature headers as forged and does not retry it', async () => {
    handler = () => ({ status: 200, body: '{"prepay_id":"forged"}' });
    await expect(client().queryByOutTradeNo('ORDER_0001')).rejects.toEqual(code(ERROR_CODES.SIGNATURE_MISSING));
    expect(server.received).toHaveLength(1);
  });

  it('rejects a 2xx signed by another key, with an unknown serial, or with a skewed clock', async () => {
    const other = generateRsaKeyPair();
    handler = () => signed(200, { a: 1 }, PUB_ID, other.privateKey);
    await expect(client().queryByOutTradeNo('ORDER_0001')).rejects.toEqual(code(ERROR_CODES.SIGNATURE_INVALID));
    handler = () => signed(200, { a: 1 }, 'PUB_KEY_ID_UNKNOWN');
    await expect(client().queryByOutTradeNo('ORDER_0001')).rejects.toEqual(code(ERROR_CODES.UNKNOWN_SERIAL));
    // The server accepts the skewed request, then signs its answer with the real time.
    serverNow = () => Date.now() + 600_000;
    handler = () => signed(200, { a: 1 }, PUB_ID, platform.privateKey, Date.now());
    await expect(client({ now: () => Date.now() + 600_000 }).queryByOutTradeNo('ORDER_0001')).rejects.toEqual(code(ERROR_CODES.TIMESTAMP_SKEW));
  });

  it('surfaces WeChat error envelopes with their code and status, without retrying 4xx', async () => {
    handler = () => ({ status: 400, body: JSON.stringify({ code: 'PARAM_ERROR', message: 'amount.total invalid', detail: { field: 'amount' } }) });
    const err = await client().jsapiPrepay({ description: 'x', out_trade_no: 'ORDER_0002', amount: { total: 0 }, payer: { openid: 'o' } }).catch((e) => e);
    expect(err).toMatchObject({ name: 'WxPayError', code: 'PARAM_ERROR', httpStatus: 400, detail: expect.objectContaining({ detail: { field: 'amount' } }) });
    expect(server.received).toHaveLength(1);
  });

  it('retries SYSTEM_ERROR on idempotent calls, then succeeds', async () => {
    let n = 0;
    handler = () => (++n < 3 ? { status: 500, body: '{"code":"SYSTEM_ERROR","message":"busy"}' } : signed(200, { refund_id: 'R', status: 'PROCESSING' }));
    await expect(client().createRefund({ out_refund_no: 'RF1', out_trade_no: 'O', amount: { refund: 1, total: 1, currency: 'CNY' } })).resolves.toMatchObject({ refund_id: 'R' });
    expect(server.received).toHaveLength(3);
    expect(new Set(server.received.map((r) => r.body)).size).toBe(1); // same out_refund_no every time
  });

  it('gives up after maxRetries with the last error', async () => {
    handler = () => ({ status: 502, body: '<html>bad gateway</html>' });
    await expect(client({ maxRetries: 1 }).queryRefund('RF1')).rejects.toEqual(expect.objectContaining({ code: ERROR_CODES.HTTP_ERROR, httpStatus: 502 }));
    expect(server.received).toHaveLength(2);
  });

  it('times out a call that never answers', async () => {
    handler = () => ({ status: 0, hang: true });
    await expect(client({ timeoutMs: 150, maxRetries: 1 }).queryByOutTradeNo('ORDER_0001')).rejects.toEqual(code(ERROR_CODES.TIMEOUT));
    expect(server.received).toHaveLength(2);
  });

  it('reports a refused connection as NETWORK_ERROR', async () => {
    const url = server.url;
    await server.close();
    const c = client({ baseUrl: url, maxRetries: 0 });
    await expect(c.queryByOutTradeNo('ORDER_0001')).rejects.toEqual(code(ERROR_CODES.NETWORK_ERROR));
    server = await startTestServer(merchant.publicKey, (r) => handler(r), () => serverNow()); // for afterEach
  });

  it('passes through RESOURCE_NOT_EXISTS from /v3/certificates for public-key-only merchants', async () => {
    handler = () => ({ status: 404, body: '{"code":"RESOURCE_NOT_EXISTS","message":"无可用的平台证书"}' });
    await expect(client().downloadCertificates()).rejects.toEqual(expect.objectContaining({ code: 'RESOURCE_NOT_EXISTS', httpStatus: 404 }));
  });

  it('signs wx.requestPayment parameters with the configured appid and clock', () => {
    const params = client({ now: () => 1700000000_000 }).paymentParams('wx2017');
    expect(params).toMatchObject({ timeStamp: '1700000000', package: 'prepay_id=wx2017', signType: 'RSA' });
    const message = `wxAPP\n1700000000\n${params.nonceStr}\nprepay_id=wx2017\n`;
    expect(verifySha256Rsa(message, params.paySign, merchant.publicKey)).toBe(true);
    // Type-level contract: the client is the order logic's PayGateway as is.
    const gateway: PayGateway = client();
    expect(typeof gateway.paymentParams).toBe('function');
  });

  it('rejects bad configuration at construction', () => {
    expect(() => client({ apiV3Key: 'short' })).toThrow(code(ERROR_CODES.APIV3_KEY_INVALID));
    expect(() => client({ privateKey: 'nope' })).toThrow(code(ERROR_CODES.KEY_INVALID));
    expect(() => client({ publicKeyId: undefined })).toThrow(/publicKeyId/);
  });
});

describe('createWechatPayClient (platform certificate mode)', () => {
  const certA = selfSignedCertificate(platform.privateKey);
  const serialA = new X509Certificate(certA).serialNumber;
  const platformB = generateRsaKeyPair();
  const certB = selfSignedCertificate(platformB.privateKey);
  const serialB = new X509Certificate(certB).serialNumber;

  /** The server's current set, and which key signs everything (like WeChat during a rotation). */
  function certServer(state: { certs: Array<[string, string]>; signer: [string, string] }) {
    return (r: { url: string }): Reply => {
      const [serial, key] = state.signer;
      if (r.url === '/v3/certificates') {
        const data = state.certs.map(([s, pem]) => ({
          serial_no: s, effective_time: '2020-01-01T00:00:00+08:00', expire_time: '2099-01-01T00:00:00+08:00',
          encrypt_certificate: encryptResource(pem, API_V3_KEY, { associated_data: 'certificate' }),
        }));
        return signed(200, { data }, serial, key);
      }
      return signed(200, { trade_state: 'SUCCESS' }, serial, key);
    };
  }
  const certClient = (over: Partial<WechatPayClientConfig> = {}) => client({ publicKey: undefined, publicKeyId: undefined, ...over });

  it('downloads, decrypts and verifies certificates before the first call, then reuses them', async () => {
    handler = certServer({ certs: [[serialA, certA]], signer: [serialA, platform.privateKey] });
    const c = certClient();
    await c.queryByOutTradeNo('ORDER_0001');
    await c.queryByOutTradeNo('ORDER_0001');
    expect(server.received.map((r) => r.url.split('?')[0])).toEqual(['/v3/certificates', '/v3/pay/transactions/out-trade-no/ORDER_0001', '/v3/pay/transactions/out-trade-no/ORDER_0001']);
    expect(c.keyring.serials()).toEqual([serialA]);
    expect((await c.downloadCertificates())[0]).toMatchObject({ serial_no: serialA, certificate: certA });
  });

  it('refreshes on an unknown serial (rotation), but at most once per minRefreshInterval', async () => {
    const state = { certs: [[serialA, certA]] as Array<[string, string]>, signer: [serialA, platform.privateKey] as [string, string] };
    handler = certServer(state);
    let clock = Date.now();
    serverNow = () => clock;
    const c = certClient({ now: () => clock });
    await c.queryByOutTradeNo('O1');
    clock += 61_000; // past the rate limit that follows the initial download
    state.certs = [[serialA, certA], [serialB, certB]];
    state.signer = [serialB, platformB.privateKey];
    await expect(c.queryByOutTradeNo('O1')).resolves.toEqual({ trade_state: 'SUCCESS' });
    expect(server.received.filter((r) => r.url === '/v3/certificates')).toHaveLength(2);
    expect(c.keyring.serials().sort()).toEqual([serialA, serialB].sort());
    // A serial the server never publishes: one more download is allowed only after the interval.
    state.signer = ['DEADBEEF', platformB.privateKey];
    clock += 61_000;
    await expect(c.queryByOutTradeNo('O1')).rejects.toEqual(code(ERROR_CODES.UNKNOWN_SERIAL));
    await expect(c.queryByOutTradeNo('O1')).rejects.toEqual(code(ERROR_CODES.UNKNOWN_SERIAL));
    expect(server.received.filter((r) => r.url === '/v3/certificates')).toHaveLength(3);
  });

  it('refreshes periodically when the cached certificates are older than the refresh interval', async () => {
    handler = certServer({ certs: [[serialA, certA]], signer: [serialA, platform.privateKey] });
    let clock = Date.now();
    serverNow = () => clock;
    const c = certClient({ now: () => clock, certificateRefreshIntervalMs: 3600_000 });
    await c.queryByOutTradeNo('O1');
    clock += 3599_000;
    await c.queryByOutTradeNo('O1');
    expect(server.received.filter((r) => r.url === '/v3/certificates')).toHaveLength(1);
    clock += 2_000;
    await c.queryByOutTradeNo('O1');
    expect(server.received.filter((r) => r.url === '/v3/certificates')).toHaveLength(2);
  });

  it('rejects a certificate list whose signature does not verify with the listed certificates', async () => {
    const state = { certs: [[serialA, certA]] as Array<[string, string]>, signer: [serialA, platformB.privateKey] as [string, string] };
    handler = certServer(state);
    await expect(certClient().downloadCertificates()).rejects.toEqual(code(ERROR_CODES.SIGNATURE_INVALID));
  });
});
