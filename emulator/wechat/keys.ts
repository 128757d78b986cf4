// /__sim/keys: the merchant's platform keys and WeChat Pay's switch from platform certificates to the
// public key (migration mode). Public facts only in answers: key ids, serials, public PEMs, never a
// private key. Keys the simulator needs and does not have are generated; a test may hand in the
// public key's pair so the functions can be configured with it before the simulator switches.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { generateRsaKeyPair, randomCertificateSerial, randomString } from '../credentials';
import { SimError } from './errors';
import { parseJson, type Ctx, type Reply } from './http';
import { activeKeys, currentCertificate, makeCertificateKey, makePublicKey, type KeyMode, type Platform } from './platform';
import type { SimState } from './state';

const MODES: KeyMode[] = ['publicKey', 'certificate', 'migration'];
/** Share of notifications the public key signs when migration starts without one (WeChat ramps 0.1 % → 100 % over ~7 days). */
export const DEFAULT_MIGRATION_SHARE = 0.5;

export function keysView(platform: Platform): Record<string, unknown> {
  return {
    mode: platform.mode,
    publicKeyId: platform.publicKey?.serial ?? null,
    publicKey: platform.publicKey?.publicKeyPem ?? null,
    certificateSerials: platform.certificates.map((k) => k.serial),
    signingCertificate: currentCertificate(platform)?.serial ?? null,
    notifyPublicKeyShare: platform.notifyPublicKeyShare,
    activeSerials: activeKeys(platform).map((k) => k.serial),
  };
}

export function simGetKeys(state: SimState): Reply {
  return { status: 200, body: keysView(state.platform) };
}

/** {mode, notifyPublicKeyShare?, publicKey?: {id, privateKey}} → the keys view. */
export function simSetKeys(state: SimState, ctx: Ctx): Reply {
  const b = ctx.rawBody.length ? parseJson(ctx) : {};
  const mode = b.mode as KeyMode;
  if (!MODES.includes(mode)) throw new SimError(400, 'PARAM_ERROR', `mode must be one of ${MODES.join(', ')}`);
  const share = b.notifyPublicKeyShare;
  if (share !== undefined && (typeof share !== 'number' || !(share >= 0 && share <= 1))) {
    throw new SimError(400, 'PARAM_ERROR', 'notifyPublicKeyShare must be a number from 0 to 1 (the share of notifications signed by the public key)');
  }
  const platform = state.platform;
  const now = state.now();
  if (b.publicKey !== undefined) platform.publicKey = suppliedPublicKey(b.publicKey, now);
  if (mode !== 'certificate' && !platform.publicKey) {
    const pair = generateRsaKeyPair();
    platform.publicKey = makePublicKey(`PUB_KEY_ID_01${state.credentials.mchid}${randomString(20, '0123456789')}`, pair.privateKey, pair.publicKey, now);
  }
  if (mode !== 'publicKey' && platform.certificates.length === 0) {
    const pair = generateRsaKeyPair();
    platform.certificates.push(makeCertificateKey(randomCertificateSerial(), pair.privateKey, pair.publicKey, now));
  }
  if (mode === 'migration') platform.notifyPublicKeyShare = (share as number | undefined) ?? (platform.mode === 'migration' ? platform.notifyPublicKeyShare : DEFAULT_MIGRATION_SHARE);
  else platform.notifyPublicKeyShare = mode === 'publicKey' ? 1 : 0;
  platform.mode = mode;
  return { status: 200, body: keysView(platform) };
}

function suppliedPublicKey(value: unknown, now: number) {
  const v = value as { id?: unknown; privateKey?: unknown } | null;
  if (!v || typeof v.id !== 'string' || !/^PUB_KEY_ID_\w+$/.test(v.id) || typeof v.privateKey !== 'string') {
    throw new SimError(400, 'PARAM_ERROR', 'publicKey must be {id: "PUB_KEY_ID_…", privateKey: PKCS#8 PEM}');
  }
  let publicPem: string;
  try {
    const key = createPrivateKey(v.privateKey);
    if (key.asymmetricKeyType !== 'rsa' || key.asymmetricKeyDetails?.modulusLength !== 2048) throw new Error('not RSA-2048');
    publicPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    throw new SimError(400, 'PARAM_ERROR', 'publicKey.privateKey must be an RSA-2048 private key PEM');
  }
  return makePublicKey(v.id, v.privateKey, publicPem, now);
}
