/**
 * Key parsing, done once. Parsing a PEM costs more than the RSA operation itself, so PEM strings are
 * turned into KeyObjects and memoised; KeyObjects are used as given.
 */
import { createPrivateKey, createPublicKey, KeyObject } from 'crypto';
import { ERROR_CODES, WxPayError } from './errors';

export type PrivateKeyInput = string | Buffer | KeyObject;
/** A public key PEM, an X.509 certificate PEM, or a KeyObject. */
export type PublicKeyInput = string | Buffer | KeyObject;

// Bounded: configs hold a handful of keys; the bound only stops a misuse (a new PEM per call) from leaking.
const MAX_CACHED = 64;
const privateCache = new Map<string, KeyObject>();
const publicCache = new Map<string, KeyObject>();

export function toPrivateKey(key: PrivateKeyInput): KeyObject {
  if (key instanceof KeyObject) {
    if (key.type !== 'private') throw new WxPayError(ERROR_CODES.KEY_INVALID, `expected a private key, got a ${key.type} key`);
    return key;
  }
  return cached(privateCache, key, (pem) => createPrivateKey(pem), 'merchant private key');
}

export function toPublicKey(key: PublicKeyInput): KeyObject {
  if (key instanceof KeyObject) {
    // A private KeyObject would "verify" too; accept only what the caller meant.
    if (key.type !== 'public') throw new WxPayError(ERROR_CODES.KEY_INVALID, `expected a public key, got a ${key.type} key`);
    return key;
  }
  // createPublicKey accepts both "PUBLIC KEY" and "CERTIFICATE" PEMs.
  return cached(publicCache, key, (pem) => createPublicKey(pem), 'public key or certificate');
}

function cached(cache: Map<string, KeyObject>, key: string | Buffer, parse: (pem: string) => KeyObject, what: string): KeyObject {
  if (typeof key !== 'string' && !Buffer.isBuffer(key)) {
    throw new WxPayError(ERROR_CODES.INVALID_ARGUMENT, `${what} must be a PEM string, Buffer or KeyObject`);
  }
  const pem = typeof key === 'string' ? key : key.toString('utf8');
  const hit = cache.get(pem);
  if (hit) return hit;
  let parsed: KeyObject;
  try {
    parsed = parse(pem);
  } catch (cause) {
    // Never echo the PEM: it may be a private key.
    throw new WxPayError(ERROR_CODES.KEY_INVALID, `could not parse the ${what} (expected PEM)`, { cause });
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(pem, parsed);
  return parsed;
}
