// The dev merchant: created once in the data dir and reused, so restarts (and the local functions,
// which are configured from the same file) keep working. The file's shape is DevCredentials below
// (described in emulator/wechat/README.md).
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface KeyPairPem {
  privateKey: string;
  publicKey: string;
}

export interface DevCredentials {
  envId: string;
  appid: string;
  mchid: string;
  /** 32 ASCII characters; used as the AES-256-GCM key bytes. */
  apiV3Key: string;
  merchant: KeyPairPem & { serialNo: string };
  /** `serial` is the key id the simulator signs with: `PUB_KEY_ID_…` (public-key mode) or a
   *  40-hex certificate serial (platform-certificate mode). */
  platform: KeyPairPem & { serial: string };
}

export type PlatformKeyMode = 'publicKey' | 'certificate';

export interface CredentialOptions {
  envId?: string;
  /** Which platform key mode a NEW file gets (an existing file keeps its own). Default publicKey,
   *  the only mode of merchants opened since about Oct 2024. */
  platformMode?: PlatformKeyMode;
}

export const CREDENTIALS_FILE = 'credentials.json';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomString(length: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

function digits(length: number): string {
  return randomString(length, '0123456789');
}

export function generateRsaKeyPair(): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    // apiclient_key.pem is PKCS#8; the WeChat Pay public key is SPKI.
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKey, publicKey };
}

/** A 40-hex certificate serial whose first byte is 0x10..0x7f, so DER keeps it positive and unpadded. */
export function randomCertificateSerial(): string {
  const bytes = randomBytes(20);
  bytes[0] = (bytes[0] & 0x6f) | 0x10;
  return bytes.toString('hex').toUpperCase();
}

export function generateCredentials(opts: CredentialOptions = {}): DevCredentials {
  const mchid = `19${digits(8)}`;
  const platformSerial =
    opts.platformMode === 'certificate' ? randomCertificateSerial() : `PUB_KEY_ID_01${mchid}${digits(20)}`;
  return {
    envId: opts.envId ?? 'local-dev',
    appid: `wx${randomBytes(8).toString('hex')}`,
    mchid,
    apiV3Key: randomString(32),
    merchant: { serialNo: randomCertificateSerial(), ...generateRsaKeyPair() },
    platform: { serial: platformSerial, ...generateRsaKeyPair() },
  };
}

function isString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

/** Throws a message naming the first bad field: a hand-edited file must fail loudly, not half-work. */
export function assertCredentials(value: unknown, source: string): asserts value is DevCredentials {
  const c = value as Partial<DevCredentials> | null;
  const bad = (field: string): never => {
    throw new Error(`${source}: field "${field}" is missing or invalid; fix it or delete the file to regenerate`);
  };
  if (!c || typeof c !== 'object') bad('(root)');
  for (const f of ['envId', 'appid', 'mchid'] as const) if (!isString(c![f])) bad(f);
  if (!isString(c!.apiV3Key) || Buffer.byteLength(c!.apiV3Key) !== 32) bad('apiV3Key');
  const m = c!.merchant;
  if (!m || !isString(m.serialNo) || !isString(m.privateKey) || !isString(m.publicKey)) bad('merchant');
  const p = c!.platform;
  if (!p || !isString(p.serial) || !isString(p.privateKey) || !isString(p.publicKey)) bad('platform');
}

function writeTemp(file: string, creds: DevCredentials): string {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600); // explicit: a permissive umask must not widen a secret file
  return tmp;
}

/** Replaces the file via temp + rename so a crash never leaves a half-written secret file. */
export function writeCredentialsAtomic(file: string, creds: DevCredentials): void {
  renameSync(writeTemp(file, creds), file);
}

function readCredentials(file: string): DevCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`${file}: not valid JSON; fix it or delete the file to regenerate`);
  }
  assertCredentials(parsed, file);
  return parsed;
}

/** Loads `<dataDir>/credentials.json`, creating it (mode 0600) on first use. Two processes starting
 *  together agree on one file: creation is link(2), which fails if another process won the race. */
export function loadOrCreateCredentials(dataDir: string, opts: CredentialOptions = {}): DevCredentials {
  const file = join(dataDir, CREDENTIALS_FILE);
  if (existsSync(file)) return readCredentials(file);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const creds = generateCredentials(opts);
  const tmp = writeTemp(file, creds);
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readCredentials(file);
  } finally {
    unlinkSync(tmp);
  }
  return creds;
}
