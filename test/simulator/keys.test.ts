// The simulator's key modes (README "Platform key modes"): public key, platform certificate, and
// migration — both at once, a 2xx signed by the public key only when the request names it in
// Wechatpay-Serial (else by the certificate), notifications signed by either at a configurable share.
import { generateRsaKeyPair } from '../../emulator/credentials';
import { decryptCertificates, ERROR_CODES, verifyWechatpaySignature } from '../../lib/wechatpay';
import { control, prepayBody, signedRequest, simWithReceiver, type RawResponse } from './helpers';

const world = simWithReceiver({ timeScale: 100_000 });

const query = (no: string, headers: Record<string, string> = {}) =>
  signedRequest(world.sim, 'GET', `/v3/pay/transactions/out-trade-no/${no}?mchid=${world.sim.credentials.mchid}`, undefined, { headers });
const certificates = (headers: Record<string, string> = {}) => signedRequest(world.sim, 'GET', '/v3/certificates', undefined, { headers });

async function migrate(share?: number): Promise<{ publicKeyId: string; publicKey: string; certificateSerials: string[] }> {
  const r = await control(world.sim, 'POST', '/keys', share === undefined ? { mode: 'migration' } : { mode: 'migration', notifyPublicKeyShare: share });
  expect(r.status).toBe(200);
  return r.json;
}

/** The certificate PEMs /v3/certificates serves, by serial (decrypted as a merchant does). */
async function certificatePems(headers: Record<string, string> = {}): Promise<Record<string, string>> {
  const r = await certificates(headers);
  expect(r.status).toBe(200);
  return Object.fromEntries(decryptCertificates(r.text, world.sim.credentials.apiV3Key).map((c) => [c.serial_no, c.certificate]));
}

async function payOrders(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const { prepay_id } = (await signedRequest(world.sim, 'POST', '/v3/pay/transactions/jsapi', prepayBody(world.sim, `KEYS_${String(i).padStart(6, '0')}`))).json;
    expect((await control(world.sim, 'POST', '/pay', { prepay_id })).json.trade_state).toBe('SUCCESS');
  }
  await world.sim.state.settled();
}

const serialOf = (r: RawResponse) => r.headers['wechatpay-serial'];

describe('public-key mode (the default credentials) stays as it was', () => {
  it('signs with the public key whether or not the request names it; /v3/certificates is 404', async () => {
    expect((await control(world.sim, 'GET', '/keys')).json).toMatchObject({ mode: 'publicKey', publicKeyId: world.sim.credentials.platform.serial, certificateSerials: [] });
    await signedRequest(world.sim, 'POST', '/v3/pay/transactions/jsapi', prepayBody(world.sim, 'KEYS_PUB_01'));
    expect(serialOf(await query('KEYS_PUB_01'))).toBe(world.sim.credentials.platform.serial);
    expect(serialOf(await query('KEYS_PUB_01', { 'Wechatpay-Serial': world.sim.credentials.platform.serial }))).toBe(world.sim.credentials.platform.serial);
    expect([(await certificates()).status, (await certificates()).json.code]).toEqual([404, 'RESOURCE_NOT_EXISTS']);
  });
});

describe('migration mode (POST /__sim/keys {mode: "migration"})', () => {
  it('serves the platform certificate and the public key; a 2xx is signed by the public key only when the request names it', async () => {
    const keys = await migrate();
    expect(keys.publicKeyId).toBe(world.sim.credentials.platform.serial); // the merchant's public key stays
    expect(keys.certificateSerials).toHaveLength(1);
    const pems = await certificatePems();
    expect(Object.keys(pems)).toEqual(keys.certificateSerials);
    await signedRequest(world.sim, 'POST', '/v3/pay/transactions/jsapi', prepayBody(world.sim, 'KEYS_MIG_01'));

    const named = await query('KEYS_MIG_01', { 'Wechatpay-Serial': keys.publicKeyId });
    expect(serialOf(named)).toBe(keys.publicKeyId);
    expect(verifyWechatpaySignature({ headers: named.headers, body: named.text }, { publicKeys: { [keys.publicKeyId]: keys.publicKey } }).serial).toBe(keys.publicKeyId);

    // The failure the header fixes: without it the answer is signed by the platform certificate,
    // which a merchant configured with the public key only does not know.
    const unnamed = await query('KEYS_MIG_01');
    expect(serialOf(unnamed)).toBe(keys.certificateSerials[0]);
    expect(() => verifyWechatpaySignature({ headers: unnamed.headers, body: unnamed.text }, { publicKeys: { [keys.publicKeyId]: keys.publicKey } }))
      .toThrow(expect.objectContaining({ code: ERROR_CODES.UNKNOWN_SERIAL }));
    expect(verifyWechatpaySignature({ headers: unnamed.headers, body: unnamed.text }, { publicKeys: pems }).serial).toBe(keys.certificateSerials[0]);
    // Naming another serial is not naming the public key.
    expect(serialOf(await query('KEYS_MIG_01', { 'Wechatpay-Serial': 'PUB_KEY_ID_0199999999' }))).toBe(keys.certificateSerials[0]);
    // The certificate list itself follows the same rule.
    expect(serialOf(await certificates({ 'Wechatpay-Serial': keys.publicKeyId }))).toBe(keys.publicKeyId);
  });

  it('signs notifications by the public key at the configured share, the rest by the certificate', async () => {
    const keys = await migrate(0.5);
    await payOrders(24);
    const serials = world.receiver.received.map((r) => r.headers['wechatpay-serial']);
    expect(serials).toHaveLength(24);
    const byPub = serials.filter((s) => s === keys.publicKeyId).length;
    const byCert = serials.filter((s) => s === keys.certificateSerials[0]).length;
    expect(byPub + byCert).toBe(24);
    expect(byPub).toBeGreaterThan(0);
    expect(byCert).toBeGreaterThan(0);
    // Each verifies with the key it names.
    const pems = { ...(await certificatePems()), [keys.publicKeyId]: keys.publicKey };
    for (const r of world.receiver.received) expect(() => verifyWechatpaySignature({ headers: r.headers as Record<string, string>, body: r.body }, { publicKeys: pems })).not.toThrow();
  });

  it('share 0 signs every notification by the certificate, share 1 by the public key', async () => {
    const keys = await migrate(0);
    await payOrders(3);
    expect(world.receiver.received.map((r) => r.headers['wechatpay-serial'])).toEqual(Array(3).fill(keys.certificateSerials[0]));
    world.receiver.received.length = 0;
    world.sim.state.reset();
    const again = await migrate(1);
    await payOrders(3);
    expect(world.receiver.received.map((r) => r.headers['wechatpay-serial'])).toEqual(Array(3).fill(again.publicKeyId));
  });

  it('takes a given public key pair (so functions can be configured before the switch), refuses bad input, and resets', async () => {
    const pair = generateRsaKeyPair();
    const given = await control(world.sim, 'POST', '/keys', { mode: 'migration', publicKey: { id: 'PUB_KEY_ID_0123456789', privateKey: pair.privateKey } });
    expect(given.json).toMatchObject({ mode: 'migration', publicKeyId: 'PUB_KEY_ID_0123456789', publicKey: pair.publicKey });
    expect(JSON.stringify(given.json)).not.toContain('PRIVATE KEY');
    expect((await control(world.sim, 'POST', '/keys', { mode: 'both' })).status).toBe(400);
    expect((await control(world.sim, 'POST', '/keys', { mode: 'migration', notifyPublicKeyShare: 2 })).status).toBe(400);
    expect((await control(world.sim, 'POST', '/keys', { mode: 'migration', publicKey: { id: 'KEY1', privateKey: pair.privateKey } })).status).toBe(400);
    // After the switch completes: public key only, certificates no longer served.
    expect((await control(world.sim, 'POST', '/keys', { mode: 'publicKey' })).json).toMatchObject({ mode: 'publicKey', activeSerials: ['PUB_KEY_ID_0123456789'] });
    expect((await certificates()).status).toBe(404);
    await control(world.sim, 'POST', '/reset');
    expect((await control(world.sim, 'GET', '/keys')).json).toMatchObject({ mode: 'publicKey', publicKeyId: world.sim.credentials.platform.serial, certificateSerials: [] });
  });
});
