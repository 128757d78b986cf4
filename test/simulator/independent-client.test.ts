/**
 * The simulator checked by a client we did not write: wechatpay-axios-plugin (TheNorthMemory's
 * maintained APIv3 SDK, devDependency). It signs requests and verifies every 2xx answer's
 * Wechatpay-* headers against its own `certs` map, and decrypts the certificate list with its own
 * AES-GCM — so a simulator that signs, encrypts or shapes answers the way only our library expects
 * fails here. Prepay, query, close, refund and certificates in all three key modes.
 */
import { generateCredentials, type DevCredentials } from '../../emulator/credentials';
import { startWechatSimulator, type WechatSimulator } from '../../emulator/wechat';
import { control } from './helpers';
import { refundsFinished } from '../support/refunds-finished';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Wechatpay, Aes } = require('wechatpay-axios-plugin') as { Wechatpay: new (config: Record<string, unknown>) => any; Aes: any };

jest.setTimeout(60_000);

interface Mode {
  name: 'certificate' | 'publicKey' | 'migration';
  credentials: DevCredentials;
}
const modes: Mode[] = [
  { name: 'certificate', credentials: generateCredentials({ platformMode: 'certificate' }) },
  { name: 'publicKey', credentials: generateCredentials({ platformMode: 'publicKey' }) },
  { name: 'migration', credentials: generateCredentials({ platformMode: 'certificate' }) },
];

function pluginClient(sim: WechatSimulator, certs: Record<string, string>, headers: Record<string, string> = {}): any {
  const c = sim.credentials;
  return new Wechatpay({ mchid: c.mchid, serial: c.merchant.serialNo, privateKey: c.merchant.privateKey, certs, baseURL: `${sim.url}/`, headers });
}

/** The certificates as the plugin's own AES-GCM decrypts them from the raw list. */
async function decryptWithPlugin(sim: WechatSimulator, list: { data: Array<{ serial_no: string; encrypt_certificate: Record<string, string> }> }): Promise<Record<string, string>> {
  return Object.fromEntries(list.data.map((d) => {
    const e = d.encrypt_certificate;
    return [d.serial_no, Aes.AesGcm.decrypt(e.ciphertext, sim.credentials.apiV3Key, e.nonce, e.associated_data)];
  }));
}

describe.each(modes)('wechatpay-axios-plugin drives the simulator in $name mode', ({ name, credentials }) => {
  let sim: WechatSimulator;
  let wxpay: any;
  let keys: { publicKeyId: string | null; publicKey: string | null };

  beforeAll(async () => {
    sim = await startWechatSimulator({ port: 0, credentials, timeScale: 1000 });
    if (name === 'migration') await control(sim, 'POST', '/keys', { mode: 'migration' });
    keys = (await control(sim, 'GET', '/keys')).json;
    if (name === 'publicKey') {
      // The plugin configured as its README says for a public-key merchant: certs = {PUB_KEY_ID: pub_key.pem}.
      wxpay = pluginClient(sim, { [keys.publicKeyId!]: keys.publicKey! });
    } else {
      // Certificates fetched raw, decrypted by the plugin, then trusted: its own CLI's bootstrap.
      const raw = await fetch(`${sim.url}/v3/certificates`, { headers: { Authorization: await bootstrapAuthorization(sim) } });
      expect(raw.status).toBe(200);
      const certs = await decryptWithPlugin(sim, (await raw.json()) as never);
      // Migration: a merchant that knows both keys and names the public key on every request.
      wxpay = name === 'migration'
        ? pluginClient(sim, { ...certs, [keys.publicKeyId!]: keys.publicKey! }, { 'Wechatpay-Serial': keys.publicKeyId! })
        : pluginClient(sim, certs);
    }
  });
  afterAll(() => sim?.close());

  const no = (n: number) => `IND${name.slice(0, 3).toUpperCase()}${String(n).padStart(6, '0')}`;
  const prepayBody = (outTradeNo: string) => ({
    appid: credentials.appid, mchid: credentials.mchid, description: '普洱茶 · 一饼', out_trade_no: outTradeNo,
    notify_url: 'https://notify.local.test/pay/notify', amount: { total: 1200, currency: 'CNY' }, payer: { openid: 'o-independent-client' },
  });

  it('prepay, query (NOTPAY), pay, query (SUCCESS), refund and refund query verify under the plugin', async () => {
    const { data: prepay, headers } = await wxpay.v3.pay.transactions.jsapi.post(prepayBody(no(1)));
    expect(prepay.prepay_id).toMatch(/^wx/);
    const expected = name === 'publicKey' || name === 'migration' ? keys.publicKeyId : undefined;
    if (expected) expect(headers['wechatpay-serial']).toBe(expected);

    const notpay = await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: credentials.mchid }, out_trade_no: no(1) });
    expect(notpay.data).toMatchObject({ out_trade_no: no(1), trade_state: 'NOTPAY', amount: { total: 1200 } });

    expect((await control(sim, 'POST', '/pay', { prepay_id: prepay.prepay_id })).json.trade_state).toBe('SUCCESS');
    const paid = await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: credentials.mchid }, out_trade_no: no(1) });
    expect(paid.data).toMatchObject({ trade_state: 'SUCCESS', trade_type: 'JSAPI', payer: { openid: 'o-independent-client' } });
    const byId = await wxpay.v3.pay.transactions.id.$transaction_id$.get({ params: { mchid: credentials.mchid }, transaction_id: paid.data.transaction_id });
    expect(byId.data.out_trade_no).toBe(no(1));

    const refund = await wxpay.v3.refund.domestic.refunds.post({
      out_trade_no: no(1), out_refund_no: `${no(1)}-R1`, reason: '口味不对', amount: { refund: 200, total: 1200, currency: 'CNY' },
    });
    expect(refund.data).toMatchObject({ out_refund_no: `${no(1)}-R1`, out_trade_no: no(1), status: 'PROCESSING' });
    await refundsFinished(sim.state);
    const settled = await wxpay.v3.refund.domestic.refunds.$out_refund_no$.get({ out_refund_no: `${no(1)}-R1` });
    expect(settled.data).toMatchObject({ status: 'SUCCESS', amount: { refund: 200 } });
  });

  it('close answers a verified 204', async () => {
    await wxpay.v3.pay.transactions.jsapi.post(prepayBody(no(2)));
    const closed = await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.close.post({ mchid: credentials.mchid }, { out_trade_no: no(2) });
    expect(closed.status).toBe(204);
    const q = await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: credentials.mchid }, out_trade_no: no(2) });
    expect(q.data.trade_state).toBe('CLOSED');
  });

  it('certificates: served and verified where the mode has them, 404 RESOURCE_NOT_EXISTS (unsigned) where not', async () => {
    if (name === 'publicKey') {
      const failure = await wxpay.v3.certificates.get().catch((e: any) => e);
      expect(failure.response.status).toBe(404);
      expect(failure.response.data).toMatchObject({ code: 'RESOURCE_NOT_EXISTS' });
      expect(Object.keys(failure.response.headers).filter((h) => h.startsWith('wechatpay-'))).toEqual([]);
      return;
    }
    const { data } = await wxpay.v3.certificates.get();
    const certs = await decryptWithPlugin(sim, data);
    expect(Object.values(certs)[0]).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('a refusal reaches the plugin as an unsigned error with WeChat\'s envelope', async () => {
    const failure = await wxpay.v3.pay.transactions.jsapi.post({ ...prepayBody(no(3)), description: '茶'.repeat(43) }).catch((e: any) => e);
    expect(failure.response.status).toBe(400);
    expect(failure.response.data).toMatchObject({ code: 'PARAM_ERROR', detail: { location: 'body' } });
  });

  if (name === 'migration') {
    it('without Wechatpay-Serial the answer is signed by the platform certificate: a public-key-only merchant cannot verify it', async () => {
      const publicKeyOnly = pluginClient(sim, { [keys.publicKeyId!]: keys.publicKey! });
      const failure = await publicKeyOnly.v3.pay.transactions.jsapi.post(prepayBody(no(4))).catch((e: any) => e);
      expect(failure.code).toBe('EV3_RES_HEADER_PLATFORM_SERIAL');
      // The same merchant naming its public key gets an answer it can verify.
      const named = pluginClient(sim, { [keys.publicKeyId!]: keys.publicKey! }, { 'Wechatpay-Serial': keys.publicKeyId! });
      expect((await named.v3.pay.transactions.jsapi.post(prepayBody(no(5)))).data.prepay_id).toMatch(/^wx/);
    });
  }
});

/** An Authorization for the raw bootstrap GET, signed with the plugin's own Rsa and Formatter. */
async function bootstrapAuthorization(sim: WechatSimulator): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Rsa, Formatter } = require('wechatpay-axios-plugin');
  const c = sim.credentials;
  const nonce = Formatter.nonce();
  const timestamp = Formatter.timestamp();
  const signature = Rsa.sign(Formatter.request('GET', '/v3/certificates', timestamp, nonce, ''), Rsa.from(c.merchant.privateKey, Rsa.KEY_TYPE_PRIVATE));
  return Formatter.authorization(c.mchid, nonce, signature, timestamp, c.merchant.serialNo);
}
