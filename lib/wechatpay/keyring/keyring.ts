/**
 * A keyring maps a Wechatpay-Serial (platform certificate serial or PUB_KEY_ID_…) to a parsed public key.
 * Anything with `get(serial)` is a keyring, so the certificate manager and plain maps plug in the same way.
 */
import { KeyObject } from 'crypto';
import { PublicKeyInput, toPublicKey } from '../keys';

export interface Keyring {
  get(serial: string): KeyObject | undefined;
  serials(): string[];
}

export interface MutableKeyring extends Keyring {
  set(serial: string, key: PublicKeyInput): void;
  delete(serial: string): boolean;
}

/** Either a keyring or a plain `{ [serial]: PEM | certificate PEM | KeyObject }` map. */
export type PublicKeys = Keyring | Record<string, PublicKeyInput>;

export function createKeyring(opts: { publicKeys?: Record<string, PublicKeyInput> } = {}): MutableKeyring {
  const keys = new Map<string, KeyObject>();
  const ring: MutableKeyring = {
    get: (serial) => keys.get(serial),
    serials: () => [...keys.keys()],
    // Parse at insertion so a bad key fails at start-up, not on the first notification.
    set: (serial, key) => void keys.set(serial, toPublicKey(key)),
    delete: (serial) => keys.delete(serial),
  };
  for (const [serial, key] of Object.entries(opts.publicKeys ?? {})) ring.set(serial, key);
  return ring;
}

export function isKeyring(keys: unknown): keys is Keyring {
  return typeof keys === 'object' && keys !== null && typeof (keys as Keyring).get === 'function';
}

/** Look a serial up in a keyring or a plain map (own properties only: "__proto__" is not a serial). */
export function lookupKey(keys: PublicKeys, serial: string): KeyObject | undefined {
  if (isKeyring(keys)) return keys.get(serial);
  if (!Object.prototype.hasOwnProperty.call(keys, serial)) return undefined;
  return toPublicKey(keys[serial]);
}

export function listSerials(keys: PublicKeys): string[] {
  return isKeyring(keys) ? keys.serials() : Object.keys(keys);
}
