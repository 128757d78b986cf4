/**
 * Which key signs an answer (notes/wechatpay-v3.md "Which key signs a response"): WeChat Pay signs
 * with the key a request names in Wechatpay-Serial and, without the header, with the platform
 * certificate. The test server here answers by that rule, so a client that forgets the header in
 * public-key mode meets the platform certificate's serial and fails UNKNOWN_SERIAL — as it would live.
 */
import { X509Certificate } from 'crypto';
import {
  buildWechatpaySignatureHeaders,
  createWechatPayClient,
  encryptResource,
  ERROR_CODES,
  parseNotification,
  buildNotification,
  WechatPayClientConfig,
} from '../../lib/wechatpay';
import { API_V3_KEY, generateRsaKeyPair, selfSignedCertificate } from './fixtures';
import { Received, Reply, startTestServer } from './test-server';

const merchant = generateRsaKeyPair();
const pubKey = generateRsaKeyPair();
const certKey = generateRsaKeyPair();
const CERT = selfSignedCertificate(certKey.privateKey);
const CERT_SERIAL = new X509Certificate(CERT).serialNumber;
const PUB_ID = 'PUB_KEY_ID_0100000000000009';
const code = (c: string) => expect.objectContaining({ code: c });

/** WeChat Pay's 2024 rule: the public key signs only when the request names it. */
function wechatRule(r: Received, body: object): Reply {
  const named = r.headers['wechatpay-serial'];
  const [serial, key] = named === PUB_ID ? [PUB_ID, pubKey.privateKey] : [CERT_SERIAL, certKey.privateKey];
  const text = JSON.stringify(body);
  return { status: 200, body: text, headers: buildWechatpaySignatureHeaders({ body: text, privateKey: key, serial }) };
}

/** When set, every non-certificate answer is signed by this key instead (a forger, a stranger). */
let forge: { serial: string; key: string } | undefined;

function answer(r: Received): Reply {
  if (forge && r.url !== '/v3/certificates') {
    const text = JSON.stringify({ trade_state: 'SUCCESS' });
    return { status: 200, body: text, headers: buildWechatpaySignatureHeaders({ body: text, privateKey: forge.key, serial: forge.serial }) };
  }
  if (r.url === '/v3/certificates') {
    const data = [{
      serial_no: CERT_SERIAL, effective_time: '2020-01-01T00:00:00+08:00', expire_time: '2099-01-01T00:00:00+08:00',
      encrypt_certificate: encryptResource(CERT, API_V3_KEY, { associated_data: 'certificate' }),
    }];
    return wechatRule(r, { data });
  }
  return wechatRule(r, { out_trade_no: 'ORDER_0001', trade_state: 'NOTPAY' });
}

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let clients: Array<{ close(): void }> = [];
beforeEach(async () => {
  forge = undefined;
  server = await startTestServer(merchant.publicKey, answer);
});
afterEach(async () => {
  clients.forEach((c) => c.close());
  clients = [];
  await server.close();
});

const client = (over: Partial<WechatPayClientConfig>) => {
  const c = createWechatPayClient({
    mchid: '1900000001', serialNo: 'MERCHANT_SERIAL', privateKey: merchant.privateKey, apiV3Key: API_V3_KEY,
    appid: 'wxAPP', notifyUrl: 'https://example.com/pay/notify', baseUrl: server.url, retryBaseDelayMs: 1, ...over,
  });
  clients.push(c);
  return c;
};
const publicKeyMode = { publicKeyId: PUB_ID, publicKey: pubKey.publicKey };

describe('public-key mode sends Wechatpay-Serial: PUB_KEY_ID_… on every request', () => {
  it('names the public key on prepay, query, close, refund and certificate calls, so answers are signed by it', async () => {
    const c = client(publicKeyMode);
    expect(c.keyMode).toBe('publicKey');
    await c.jsapiPrepay({ description: 'Tea', out_trade_no: 'ORDER_0001', amount: { total: 1 }, payer: { openid: 'o1' } });
    await c.queryByOutTradeNo('ORDER_0001');
    await c.queryByTransactionId('4200000001');
    await c.queryRefund('R1');
    await c.createRefund({ out_refund_no: 'R1', out_trade_no: 'ORDER_0001', amount: { refund: 1, total: 1, currency: 'CNY' } });
    await expect(c.closeOrder('ORDER_0001')).resolves.toBeUndefined();
    await expect(c.downloadCertificates()).resolves.toEqual([expect.objectContaining({ serial_no: CERT_SERIAL })]);
    expect(server.received).toHaveLength(7);
    expect(server.received.map((r) => r.headers['wechatpay-serial'])).toEqual(Array(7).fill(PUB_ID));
    expect(server.received.every((r) => r.authError === undefined)).toBe(true);
  });

  it('certificate mode sends no Wechatpay-Serial (nothing to name) and verifies with the downloaded certificate', async () => {
    const c = client({});
    expect(c.keyMode).toBe('certificate');
    await c.queryByOutTradeNo('ORDER_0001');
    expect(server.received.map((r) => [r.url.split('?')[0], r.headers['wechatpay-serial']])).toEqual([
      ['/v3/certificates', undefined],
      ['/v3/pay/transactions/out-trade-no/ORDER_0001', undefined],
    ]);
  });

  it('refuses platformCertificates: false without a public key', () => {
    expect(() => client({ platformCertificates: false })).toThrow(code(ERROR_CODES.INVALID_ARGUMENT));
  });
});

describe('migration mode: the public key and platform certificates at once', () => {
  const migration = { ...publicKeyMode, platformCertificates: true };

  it('downloads the certificates (answered under the public key it names) and accepts answers signed by either', async () => {
    const c = client(migration);
    expect(c.keyMode).toBe('migration');
    await expect(c.queryByOutTradeNo('ORDER_0001')).resolves.toMatchObject({ trade_state: 'NOTPAY' });
    expect(server.received.map((r) => r.url.split('?')[0])).toEqual(['/v3/certificates', '/v3/pay/transactions/out-trade-no/ORDER_0001']);
    expect(server.received.map((r) => r.headers['wechatpay-serial'])).toEqual([PUB_ID, PUB_ID]);
    expect(c.keyring.serials().sort()).toEqual([CERT_SERIAL, PUB_ID].sort());
  });

  it('accepts notifications signed by the public key and by the platform certificate, and refuses an unknown serial', async () => {
    const c = client(migration);
    await c.downloadCertificates();
    const resource = { out_trade_no: 'ORDER_0001', trade_state: 'SUCCESS' };
    const byPub = buildNotification({ eventType: 'TRANSACTION.SUCCESS', resource, apiV3Key: API_V3_KEY, privateKey: pubKey.privateKey, serial: PUB_ID });
    const byCert = buildNotification({ eventType: 'TRANSACTION.SUCCESS', resource, apiV3Key: API_V3_KEY, privateKey: certKey.privateKey, serial: CERT_SERIAL });
    const stranger = generateRsaKeyPair();
    const byStranger = buildNotification({ eventType: 'TRANSACTION.SUCCESS', resource, apiV3Key: API_V3_KEY, privateKey: stranger.privateKey, serial: 'ABCDEF0123456789' });
    const parse = (n: { headers: Record<string, string>; body: string }) => parseNotification(n, { apiV3Key: API_V3_KEY, publicKeys: c.keyring });
    expect(parse(byPub).resource).toMatchObject(resource);
    expect(parse(byCert).resource).toMatchObject(resource);
    expect(() => parse(byStranger)).toThrow(code(ERROR_CODES.UNKNOWN_SERIAL));
    // A certificate serial with another key's signature is still refused.
    const forged = buildNotification({ eventType: 'TRANSACTION.SUCCESS', resource, apiV3Key: API_V3_KEY, privateKey: stranger.privateKey, serial: CERT_SERIAL });
    expect(() => parse(forged)).toThrow(code(ERROR_CODES.SIGNATURE_INVALID));
  });

  it('an answer under a serial neither key has is refused after one certificate refresh', async () => {
    const stranger = generateRsaKeyPair();
    forge = { serial: 'DEADBEEF00', key: stranger.privateKey };
    const c = client({ ...migration, certificateMinRefreshIntervalMs: 0 });
    await expect(c.queryByOutTradeNo('ORDER_0001')).rejects.toEqual(code(ERROR_CODES.UNKNOWN_SERIAL));
    // The first download, then one refresh for the unknown serial: still unknown, so refused.
    expect(server.received.filter((r) => r.url === '/v3/certificates')).toHaveLength(2);
  });
});

describe("the client's parseNotification refreshes certificates through the keyring's one limit", () => {
  const resource = { out_trade_no: 'ORDER_0001', trade_state: 'SUCCESS' };
  const byCert = () => buildNotification({ eventType: 'TRANSACTION.SUCCESS', resource, apiV3Key: API_V3_KEY, privateKey: certKey.privateKey, serial: CERT_SERIAL });

  it('downloads the certificates for an unknown serial and parses; a stranger\'s serial stays UNKNOWN_SERIAL', async () => {
    const c = client({});
    await expect(c.parseNotification(byCert())).resolves.toMatchObject({ event_type: 'TRANSACTION.SUCCESS', resource });
    const stranger = generateRsaKeyPair();
    const byStranger = buildNotification({ eventType: 'TRANSACTION.SUCCESS', resource, apiV3Key: API_V3_KEY, privateKey: stranger.privateKey, serial: 'ABCDEF0123456789' });
    await expect(c.parseNotification(byStranger)).rejects.toEqual(code(ERROR_CODES.UNKNOWN_SERIAL));
    // One download: the stranger's serial came within the minute after it.
    expect(server.received.filter((r) => r.url === '/v3/certificates')).toHaveLength(1);
  });

  it('a failed download is CERTIFICATES_UNAVAILABLE (our side), and 5 s later the next notification downloads again', async () => {
    let t = Date.now();
    let down = true;
    const wechat = await startTestServer(merchant.publicKey, (r) => (down ? { status: 500, body: JSON.stringify({ code: 'SYSTEM_ERROR', message: 'busy' }) } : answer(r)), () => t);
    const c = client({ now: () => t, baseUrl: wechat.url, maxRetries: 0 });
    try {
      await expect(c.parseNotification(byCert())).rejects.toEqual(code(ERROR_CODES.CERTIFICATES_UNAVAILABLE));
      t += 4_999;
      await expect(c.parseNotification(byCert())).rejects.toEqual(code(ERROR_CODES.CERTIFICATES_UNAVAILABLE));
      expect(wechat.received).toHaveLength(1);
      t += 1;
      await expect(c.parseNotification(byCert())).rejects.toEqual(code(ERROR_CODES.CERTIFICATES_UNAVAILABLE));
      expect(wechat.received).toHaveLength(2);
      down = false;
      t += 5_000;
      await expect(c.parseNotification(byCert())).resolves.toMatchObject({ resource });
      expect(wechat.received).toHaveLength(3);
    } finally {
      await wechat.close();
    }
  });

  it('public-key mode has nothing to download: an unknown serial is UNKNOWN_SERIAL at once', async () => {
    const c = client(publicKeyMode);
    await expect(c.parseNotification(byCert())).rejects.toEqual(code(ERROR_CODES.UNKNOWN_SERIAL));
    expect(server.received).toHaveLength(0);
  });
});
