/** Test keys generated per run (never committed) and a thin wrapper around the openssl CLI. */
import { execFileSync } from 'child_process';
import { generateKeyPairSync } from 'crypto';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

export interface TestKeyPair {
  privateKey: string;
  publicKey: string;
}

export function generateRsaKeyPair(): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKey, publicKey };
}

let dir: string | undefined;
export function tempFile(name: string, content: string | Buffer): string {
  dir ??= mkdtempSync(join(tmpdir(), 'wxpay-test-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

export function openssl(args: string[], input?: string | Buffer): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Self-signed X.509 certificate for a key, as WeChat's platform certificates are certificates. */
export function selfSignedCertificate(privateKeyPem: string): string {
  const keyPath = tempFile(`cert-key-${Math.random().toString(36).slice(2)}.pem`, privateKeyPem);
  return openssl(['req', '-x509', '-new', '-key', keyPath, '-subj', '/CN=wxpay-test-platform', '-days', '2']).toString('utf8');
}

export const API_V3_KEY = 'abcdefghijklmnopqrstuvwxyz012345'; // 32 ASCII bytes, test only
