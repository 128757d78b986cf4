// The platform side of the signature: which key signs responses and notifications, and what
// /v3/certificates serves. The mode follows the credentials: a `PUB_KEY_ID_…` serial is the WeChat
// Pay public-key mode (no certificates: /v3/certificates answers 404 RESOURCE_NOT_EXISTS); any other
// serial is a platform certificate, served encrypted and rotatable on demand.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { buildWechatpaySignatureHeaders, type WechatpaySignatureHeaders } from '../../lib/wechatpay';
import { generateRsaKeyPair, randomCertificateSerial, type DevCredentials } from '../credentials';
import { buildSelfSignedCertificate } from './x509';

export type KeyMode = 'publicKey' | 'certificate';

export interface PlatformKey {
  serial: string;
  privateKey: KeyObject;
  publicKeyPem: string;
  /** PEM certificate (certificate mode only). */
  certificatePem?: string;
  effectiveMs: number;
  expireMs: number;
}

export interface Platform {
  mode: KeyMode;
  /** Every key a client may meet; the last one signs. */
  keys: PlatformKey[];
}

const CERT_LIFETIME_MS = 5 * 365 * 24 * 3600 * 1000;

export function keyModeOf(serial: string): KeyMode {
  return serial.startsWith('PUB_KEY_ID_') ? 'publicKey' : 'certificate';
}

function makeKey(mode: KeyMode, serial: string, privatePem: string, publicPem: string, nowMs: number): PlatformKey {
  const privateKey = createPrivateKey(privatePem);
  const key: PlatformKey = { serial, privateKey, publicKeyPem: publicPem, effectiveMs: nowMs, expireMs: nowMs + CERT_LIFETIME_MS };
  if (mode === 'certificate') {
    key.certificatePem = buildSelfSignedCertificate({
      serial,
      publicKey: createPublicKey(publicPem),
      privateKey,
      notBefore: new Date(nowMs - 60_000), // a minute of slack for clients whose clock runs behind
      notAfter: new Date(key.expireMs),
    });
  }
  return key;
}

export function createPlatform(credentials: DevCredentials, nowMs: number): Platform {
  const { serial, privateKey, publicKey } = credentials.platform;
  const mode = keyModeOf(serial);
  return { mode, keys: [makeKey(mode, serial, privateKey, publicKey, nowMs)] };
}

export function currentKey(platform: Platform): PlatformKey {
  return platform.keys[platform.keys.length - 1];
}

/** Certificate mode only: a new key pair and certificate; the old one stays listed (overlap) but
 *  the new one signs from now on, so clients must refresh on the unknown serial. */
export function rotateCertificate(platform: Platform, nowMs: number): PlatformKey {
  if (platform.mode !== 'certificate') throw new Error('rotation needs platform-certificate mode');
  const pair = generateRsaKeyPair();
  const key = makeKey('certificate', randomCertificateSerial(), pair.privateKey, pair.publicKey, nowMs);
  platform.keys.push(key);
  return key;
}

export function signBody(platform: Platform, body: string, wallMs: number, signature?: (s: string) => string): WechatpaySignatureHeaders {
  const key = currentKey(platform);
  const headers = buildWechatpaySignatureHeaders({ body, privateKey: key.privateKey, serial: key.serial, now: wallMs });
  if (signature) headers['Wechatpay-Signature'] = signature(headers['Wechatpay-Signature']);
  return headers;
}
