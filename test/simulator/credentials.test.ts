// The dev credentials file: created once (0600, the shape every local component reads), reused on
// restart, refused loudly when hand-broken; and a simulator started twice on it keeps working.
import { X509Certificate, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateCredentials } from '../../emulator/credentials';
import { createState, startWechatSimulator } from '../../emulator/wechat';
import { signedRequest } from './helpers';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wxsim-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('first call creates credentials.json with mode 0600 and the agreed shape; the second reuses it', () => {
  const a = loadOrCreateCredentials(dir);
  const file = join(dir, 'credentials.json');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(Object.keys(a).sort()).toEqual(['apiV3Key', 'appid', 'envId', 'mchid', 'merchant', 'platform']);
  expect(Object.keys(a.merchant).sort()).toEqual(['privateKey', 'publicKey', 'serialNo']);
  expect(Object.keys(a.platform).sort()).toEqual(['privateKey', 'publicKey', 'serial']);
  expect(a.mchid).toMatch(/^\d{10}$/);
  expect(a.appid).toMatch(/^wx[0-9a-f]{16}$/);
  expect(Buffer.byteLength(a.apiV3Key)).toBe(32);
  expect(a.merchant.serialNo).toMatch(/^[0-9A-F]{40}$/);
  expect(a.platform.serial).toMatch(/^PUB_KEY_ID_\d+$/);
  expect(a.merchant.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  expect(createPublicKey(a.platform.publicKey).asymmetricKeyDetails?.modulusLength).toBe(2048);
  expect(loadOrCreateCredentials(dir)).toEqual(a);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(a);
});

test('certificate mode gets a hex serial and the simulator builds a matching X.509 certificate', () => {
  const c = loadOrCreateCredentials(dir, { platformMode: 'certificate' });
  expect(c.platform.serial).toMatch(/^[0-9A-F]{40}$/);
  const state = createState({ credentials: c });
  const cert = new X509Certificate(state.platform.certificates[0].certificatePem!);
  expect(cert.serialNumber).toBe(c.platform.serial);
  expect(cert.verify(createPublicKey(c.platform.publicKey))).toBe(true);
  state.close();
});

test('a broken file is refused with the field named, and left untouched', () => {
  const file = join(dir, 'credentials.json');
  writeFileSync(file, JSON.stringify({ envId: 'e', appid: 'wx1', mchid: '1', apiV3Key: 'short' }));
  expect(() => loadOrCreateCredentials(dir)).toThrow(/"apiV3Key"/);
  writeFileSync(file, '{oops');
  expect(() => loadOrCreateCredentials(dir)).toThrow(/not valid JSON/);
  expect(readFileSync(file, 'utf8')).toBe('{oops');
});

test('a restarted simulator on the same data dir accepts the same merchant', async () => {
  const first = await startWechatSimulator({ port: 0, dataDir: dir });
  const mchid = first.credentials.mchid;
  await first.close();
  const second = await startWechatSimulator({ port: 0, dataDir: dir });
  try {
    expect(second.credentials.mchid).toBe(mchid);
    const r = await signedRequest(second, 'GET', `/v3/pay/transactions/out-trade-no/ABCDEF?mchid=${mchid}`);
    expect(r.json.code).toBe('ORDER_NOT_EXIST'); // authenticated, just no such order
  } finally {
    await second.close();
  }
});
