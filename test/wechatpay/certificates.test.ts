/**
 * decryptCertificates (the GET /v3/certificates body) and the certificate manager's handling of
 * what it decrypts: every rejection path, and expired certificates left out of the keyring.
 * Certificates are real X.509 made by the openssl CLI on keys generated for this run.
 */
import { X509Certificate } from 'crypto';
import { buildWechatpaySignatureHeaders, createCertificateManager, decryptCertificates, encryptResource, ERROR_CODES } from '../../lib/wechatpay';
import { API_V3_KEY, generateRsaKeyPair, selfSignedCertificate } from './fixtures';

const keyA = generateRsaKeyPair();
const keyB = generateRsaKeyPair();
const certA = selfSignedCertificate(keyA.privateKey);
const certB = selfSignedCertificate(keyB.privateKey);
const serialA = new X509Certificate(certA).serialNumber;
const serialB = new X509Certificate(certB).serialNumber;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const code = (c: string) => expect.objectContaining({ code: c });

function item(pem: string, serial_no: string, expire_time = '2030-01-01T00:00:00+08:00') {
  return { serial_no, effective_time: '2020-01-01T00:00:00+08:00', expire_time, encrypt_certificate: encryptResource(pem, API_V3_KEY, { associated_data: 'certificate' }) };
}
const listBody = (...items: ReturnType<typeof item>[]): string => JSON.stringify({ data: items });

describe('decryptCertificates', () => {
  test('decrypts each certificate and keeps serial_no, effective_time and expire_time', () => {
    const certs = decryptCertificates(Buffer.from(listBody(item(certA, serialA), item(certB, serialB.toLowerCase()))), API_V3_KEY);
    expect(certs).toEqual([
      { serial_no: serialA, effective_time: '2020-01-01T00:00:00+08:00', expire_time: '2030-01-01T00:00:00+08:00', certificate: certA },
      expect.objectContaining({ serial_no: serialB.toLowerCase(), certificate: certB }), // serial compared case-insensitively
    ]);
  });

  test('invalid JSON → MALFORMED_MESSAGE', () => {
    expect(() => decryptCertificates('{"data": [', API_V3_KEY)).toThrow(expect.objectContaining({ code: ERROR_CODES.MALFORMED_MESSAGE, message: expect.stringContaining('invalid JSON') }));
  });

  test.each([['no data', '{}'], ['data not an array', '{"data":{"serial_no":"1"}}'], ['null', 'null']])('missing data[] (%s) → MALFORMED_MESSAGE', (_label, body) => {
    expect(() => decryptCertificates(body, API_V3_KEY)).toThrow(expect.objectContaining({ code: ERROR_CODES.MALFORMED_MESSAGE, message: expect.stringContaining('data[]') }));
  });

  test.each([['a null entry', '{"data":[null]}'], ['no encrypt_certificate', '{"data":[{"serial_no":"1A"}]}'], ['no serial_no', `{"data":[{"encrypt_certificate":${JSON.stringify(item(certA, serialA).encrypt_certificate)}}]}`]])(
    'a malformed data[] entry (%s) → MALFORMED_MESSAGE',
    (_label, body) => {
      expect(() => decryptCertificates(body, API_V3_KEY)).toThrow(expect.objectContaining({ code: ERROR_CODES.MALFORMED_MESSAGE, message: expect.stringContaining('serial_no and encrypt_certificate') }));
    },
  );

  test('a decrypted PEM that is not an X.509 certificate (a bare public key) → KEY_INVALID', () => {
    expect(() => decryptCertificates(listBody(item(keyA.publicKey, serialA)), API_V3_KEY)).toThrow(code(ERROR_CODES.KEY_INVALID));
    expect(() => decryptCertificates(listBody(item('not a pem at all', serialA)), API_V3_KEY)).toThrow(code(ERROR_CODES.KEY_INVALID));
  });

  test('serial_no that does not match the certificate inside → MALFORMED_MESSAGE naming both', () => {
    expect(() => decryptCertificates(listBody(item(certA, serialB)), API_V3_KEY)).toThrow(
      expect.objectContaining({ code: ERROR_CODES.MALFORMED_MESSAGE, message: expect.stringMatching(new RegExp(`${serialA}.*${serialB}`)) }),
    );
  });

  test('a wrong APIv3 key or a tampered ciphertext → DECRYPT_FAILED', () => {
    expect(() => decryptCertificates(listBody(item(certA, serialA)), 'Z'.repeat(32))).toThrow(code(ERROR_CODES.DECRYPT_FAILED));
    const tampered = item(certA, serialA);
    const ct = Buffer.from(tampered.encrypt_certificate.ciphertext, 'base64');
    ct[0] ^= 1;
    tampered.encrypt_certificate.ciphertext = ct.toString('base64');
    expect(() => decryptCertificates(listBody(tampered), API_V3_KEY)).toThrow(code(ERROR_CODES.DECRYPT_FAILED));
  });
});

describe('certificate manager: expired certificates are filtered out', () => {
  const expired = '2026-05-01T00:00:00+08:00'; // before NOW
  const response = (body: string, signer: { privateKey: string; serial: string }) => ({
    status: 200,
    headers: Object.fromEntries(
      Object.entries(buildWechatpaySignatureHeaders({ body, privateKey: signer.privateKey, serial: signer.serial, timestamp: NOW / 1000 })).map(([k, v]) => [k.toLowerCase(), v]),
    ),
    body: Buffer.from(body),
  });

  test('an expired certificate in the list is returned by decrypt but never trusted', async () => {
    const body = listBody(item(certA, serialA, expired), item(certB, serialB));
    const m = createCertificateManager({ download: async () => response(body, { privateKey: keyB.privateKey, serial: serialB }), apiV3Key: API_V3_KEY, now: () => NOW });
    const certs = await m.refresh();
    expect(certs.map((c) => c.serial_no)).toEqual([serialA, serialB]);
    expect(m.keyring.serials()).toEqual([serialB]);
    expect(m.keyring.get(serialA)).toBeUndefined();
  });

  test('a list signed only by an expired certificate does not verify; nothing is trusted', async () => {
    const body = listBody(item(certA, serialA, expired));
    const m = createCertificateManager({ download: async () => response(body, { privateKey: keyA.privateKey, serial: serialA }), apiV3Key: API_V3_KEY, now: () => NOW });
    await expect(m.refresh()).rejects.toEqual(code(ERROR_CODES.UNKNOWN_SERIAL));
    expect(m.keyring.serials()).toEqual([]);
  });
});

describe('certificate manager: one rate limit for downloads started by use', () => {
  /** A /v3/certificates stand-in on an injected clock: fails while `down`, else the list signed by certificate A. */
  function world() {
    let t = NOW;
    const state = { down: true, downloads: 0 };
    const body = listBody(item(certA, serialA));
    const m = createCertificateManager({
      apiV3Key: API_V3_KEY,
      now: () => t,
      download: async () => {
        state.downloads++;
        if (state.down) return { status: 500, headers: {}, body: Buffer.from('{"code":"SYSTEM_ERROR","message":"busy"}') };
        const headers = buildWechatpaySignatureHeaders({ body, privateKey: keyA.privateKey, serial: serialA, timestamp: Math.floor(t / 1000) });
        return { status: 200, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), body: Buffer.from(body) };
      },
    });
    return { m, state, at: (ms: number) => void (t = NOW + ms) };
  }

  test('a failed download does not use up the minute: unavailable for 5 s, then the next lookup downloads again', async () => {
    const { m, state, at } = world();
    expect(await m.lookupSerial(serialA)).toBe('unavailable');
    expect(state.downloads).toBe(1);
    at(4_999);
    expect(await m.lookupSerial(serialA)).toBe('unavailable');
    expect(state.downloads).toBe(1);
    at(5_000);
    expect(await m.lookupSerial(serialA)).toBe('unavailable');
    expect(state.downloads).toBe(2);
    state.down = false;
    at(10_000);
    expect(await m.lookupSerial(serialA)).toBe('known');
    expect(state.downloads).toBe(3);
  });

  test('after a good download a serial still unknown is unknown, with no download for a minute', async () => {
    const { m, state, at } = world();
    state.down = false;
    expect(await m.refreshForSerial(serialA)).toBe(true);
    at(59_999);
    expect(await m.lookupSerial(serialB)).toBe('unknown');
    expect(await m.refreshForSerial(serialB)).toBe(false);
    expect(state.downloads).toBe(1);
    at(60_000);
    expect(await m.lookupSerial(serialB)).toBe('unknown');
    expect(state.downloads).toBe(2);
    // A known serial never downloads.
    expect(await m.lookupSerial(serialA)).toBe('known');
    expect(state.downloads).toBe(2);
  });

  test('a failed download after a good one: the previous certificates still serve, a new serial is unavailable (not unknown) for 5 s', async () => {
    const { m, state, at } = world();
    state.down = false;
    await m.refresh();
    state.down = true;
    at(60_000);
    expect(await m.lookupSerial(serialB)).toBe('unavailable');
    expect(state.downloads).toBe(2);
    expect(await m.lookupSerial(serialA)).toBe('known');
    at(64_999);
    expect(await m.lookupSerial(serialB)).toBe('unavailable');
    expect(state.downloads).toBe(2);
  });
});
