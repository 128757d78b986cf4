// The platform side of the signature: which key signs responses and notifications, and what
// /v3/certificates serves. Three modes (notes/wechatpay-v3.md "Which key signs a response"):
// - publicKey: the WeChat Pay public key (`PUB_KEY_ID_…`) signs everything; /v3/certificates 404.
// - certificate: the newest platform certificate signs; certificates served encrypted, rotatable.
// - migration: both exist. A 2xx answer is signed by the public key only when the request names it
//   in `Wechatpay-Serial`, else by the certificate; notifications by one or the other at a share.
// The starting mode follows the credentials' serial; POST /__sim/keys changes it. Everything here is
// plain data (PEM strings, numbers) so the state can be saved and loaded as it is.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { buildWechatpaySignatureHeaders, type WechatpaySignatureHeaders } from '../../lib/wechatpay';
import { generateRsaKeyPair, randomCertificateSerial, type DevCredentials } from '../credentials';
import { buildSelfSignedCertificate } from './x509';

export type KeyMode = 'publicKey' | 'certificate' | 'migration';

export interface PlatformKey {
  serial: string;
  privateKeyPem: string;
  publicKeyPem: string;
  /** PEM certificate (platform certificates only). */
  certificatePem?: string;
  effectiveMs: number;
  expireMs: number;
}

export interface Platform {
  mode: KeyMode;
  /** Platform certificates, oldest first; the last one signs (certificate and migration mode). */
  certificates: PlatformKey[];
  /** The WeChat Pay public key (public-key and migration mode). */
  publicKey?: PlatformKey;
  /** Migration: share (0..1) of notification attempts signed by the public key; the rest by the certificate. */
  notifyPublicKeyShare: number;
}

const CERT_LIFETIME_MS = 5 * 365 * 24 * 3600 * 1000;

export function keyModeOf(serial: string): 'publicKey' | 'certificate' {
  return serial.startsWith('PUB_KEY_ID_') ? 'publicKey' : 'certificate';
}

export function makeCertificateKey(serial: string, privatePem: string, publicPem: string, nowMs: number): PlatformKey {
  const key: PlatformKey = { serial, privateKeyPem: privatePem, publicKeyPem: publicPem, effectiveMs: nowMs, expireMs: nowMs + CERT_LIFETIME_MS };
  key.certificatePem = buildSelfSignedCertificate({
    serial,
    publicKey: createPublicKey(publicPem),
    privateKey: createPrivateKey(privatePem),
    notBefore: new Date(nowMs - 60_000), // a minute of slack for clients whose clock runs behind
    notAfter: new Date(key.expireMs),
  });
  return key;
}

export function makePublicKey(serial: string, privatePem: string, publicPem: string, nowMs: number): PlatformKey {
  if (keyModeOf(serial) !== 'publicKey') throw new Error(`a WeChat Pay public key id starts with PUB_KEY_ID_ (got ${serial})`);
  return { serial, privateKeyPem: privatePem, publicKeyPem: publicPem, effectiveMs: nowMs, expireMs: nowMs + CERT_LIFETIME_MS };
}

export function createPlatform(credentials: DevCredentials, nowMs: number): Platform {
  const { serial, privateKey, publicKey } = credentials.platform;
  const mode = keyModeOf(serial);
  return mode === 'publicKey'
    ? { mode, certificates: [], publicKey: makePublicKey(serial, privateKey, publicKey, nowMs), notifyPublicKeyShare: 1 }
    : { mode, certificates: [makeCertificateKey(serial, privateKey, publicKey, nowMs)], notifyPublicKeyShare: 0 };
}

/** The certificate that signs now (certificate and migration mode). */
export function currentCertificate(platform: Platform): PlatformKey | undefined {
  return platform.certificates[platform.certificates.length - 1];
}

/** Every key a client may meet in the current mode, by serial. */
export function activeKeys(platform: Platform): PlatformKey[] {
  if (platform.mode === 'publicKey') return [platform.publicKey!];
  if (platform.mode === 'certificate') return platform.certificates;
  return [...platform.certificates, platform.publicKey!];
}

/** Certificate and migration mode: a new key pair and certificate; the old one stays listed (overlap)
 *  but the new one signs from now on, so clients must refresh on the unknown serial. */
export function rotateCertificate(platform: Platform, nowMs: number): PlatformKey {
  if (platform.mode === 'publicKey') throw new Error('rotation needs platform certificates (certificate or migration mode)');
  const pair = generateRsaKeyPair();
  const key = makeCertificateKey(randomCertificateSerial(), pair.privateKey, pair.publicKey, nowMs);
  platform.certificates.push(key);
  return key;
}

/** The key a 2xx answer is signed with: migration signs with the public key only when the request names it. */
export function responseKey(platform: Platform, requestSerial: string | undefined): PlatformKey {
  if (platform.mode === 'publicKey') return platform.publicKey!;
  if (platform.mode === 'migration' && requestSerial !== undefined && requestSerial === platform.publicKey!.serial) return platform.publicKey!;
  return currentCertificate(platform)!;
}

/** The key one notification attempt is signed with; `draw` decides for migration (true = public key). */
export function notificationKey(platform: Platform, draw: (share: number) => boolean): PlatformKey {
  if (platform.mode === 'publicKey') return platform.publicKey!;
  if (platform.mode === 'migration' && draw(platform.notifyPublicKeyShare)) return platform.publicKey!;
  return currentCertificate(platform)!;
}

export function signBody(key: PlatformKey, body: string, wallMs: number, signature?: (s: string) => string): WechatpaySignatureHeaders {
  const headers = buildWechatpaySignatureHeaders({ body, privateKey: key.privateKeyPem, serial: key.serial, now: wallMs });
  if (signature) headers['Wechatpay-Signature'] = signature(headers['Wechatpay-Signature']);
  return headers;
}
