/**
 * Cloud storage on disk: `<dataDir>/cloudbase/storage/<envId>/`, one file per object named by the
 * SHA-256 of its cloud path (COS keys are flat: `a` and `a/b` can both exist, and no path can
 * escape the folder) plus a `.json` beside it with the path, size and upload time. Survives restarts.
 * File IDs have the real shape `cloud://<env>.<bucket>/<path>`; links are HMAC-signed with a secret
 * kept in the same folder, so a link handed out before a restart still works until it expires.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LIMITS } from '../limits';

export interface StoredFile {
  path: string;
  size: number;
  uploadedAt: string;
}

/** Why a cloudPath is refused (WeChat cloud storage file-name rules), or undefined. */
export function badCloudPath(p: unknown): string | undefined {
  if (typeof p !== 'string' || p === '') return 'cloudPath must be a non-empty string';
  if (p.startsWith('/')) return 'cloudPath must not start with "/"';
  if (p.includes('//')) return 'cloudPath must not contain "//"';
  if (p.endsWith('/')) return 'cloudPath must name a file, not end with "/"';
  if (Buffer.byteLength(p) > LIMITS.storagePath.value) return `cloudPath must be at most ${LIMITS.storagePath.value} bytes (UTF-8)`;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(p)) return 'cloudPath must not contain ASCII control characters';
  return undefined;
}

export class FileStore {
  readonly bucket: string;
  private readonly dir: string;
  private readonly tmpDir: string;
  private readonly secret: Buffer;

  constructor(dataDir: string, readonly envId: string) {
    // Real buckets look like `7072-prod-1a2b3c-1301234567`: hex of the env's first two letters, env, app number.
    this.bucket = `${Buffer.from(envId.slice(0, 2)).toString('hex')}-${envId}-1250000000`;
    this.dir = path.join(dataDir, 'cloudbase', 'storage', envId);
    this.tmpDir = path.join(dataDir, 'cloudbase', 'storage-tmp');
    fs.mkdirSync(this.dir, { recursive: true });
    fs.mkdirSync(this.tmpDir, { recursive: true });
    const secretFile = path.join(this.dir, '.link-secret');
    if (!fs.existsSync(secretFile)) fs.writeFileSync(secretFile, randomBytes(32), { mode: 0o600, flag: 'wx' });
    this.secret = fs.readFileSync(secretFile);
  }

  fileId(cloudPath: string): string {
    return `cloud://${this.envId}.${this.bucket}/${cloudPath}`;
  }

  /** The cloud path of a file ID of this env, or why not. */
  pathOf(fileId: unknown): { path: string } | { error: 'INVALID_PARAM' | 'STORAGE_EXCEED_AUTHORITY'; message: string } {
    const m = typeof fileId === 'string' ? /^cloud:\/\/([^/.]+)\.([^/]+)\/(.+)$/.exec(fileId) : null;
    if (!m) return { error: 'INVALID_PARAM', message: `${JSON.stringify(fileId)} is not a file ID (cloud://<env>.<bucket>/<path>)` };
    if (m[1] !== this.envId || m[2] !== this.bucket) return { error: 'STORAGE_EXCEED_AUTHORITY', message: `${fileId} belongs to another environment or bucket (this emulator serves ${this.envId}.${this.bucket})` };
    return { path: m[3] };
  }

  private file(cloudPath: string): string {
    return path.join(this.dir, createHash('sha256').update(cloudPath).digest('hex'));
  }

  stat(cloudPath: string): StoredFile | undefined {
    try {
      return JSON.parse(fs.readFileSync(`${this.file(cloudPath)}.json`, 'utf8')) as StoredFile;
    } catch {
      return undefined;
    }
  }

  contentPath(cloudPath: string): string {
    return this.file(cloudPath);
  }

  /** A temp file to stream an upload into; `commit` moves it into place atomically. */
  tempFile(): string {
    return path.join(this.tmpDir, randomBytes(12).toString('hex'));
  }

  commit(cloudPath: string, tmp: string, size: number): void {
    const target = this.file(cloudPath);
    const meta: StoredFile = { path: cloudPath, size, uploadedAt: new Date().toISOString() };
    fs.writeFileSync(`${tmp}.json`, JSON.stringify(meta));
    fs.renameSync(tmp, target);
    fs.renameSync(`${tmp}.json`, `${target}.json`);
  }

  remove(cloudPath: string): boolean {
    const target = this.file(cloudPath);
    if (!fs.existsSync(`${target}.json`)) return false;
    fs.rmSync(`${target}.json`, { force: true });
    fs.rmSync(target, { force: true });
    return true;
  }

  /** HMAC over what a link grants: method, path and expiry (epoch seconds). */
  sign(method: 'GET' | 'PUT', cloudPath: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${method}\n${cloudPath}\n${expires}`).digest('hex');
  }

  verify(method: 'GET' | 'PUT', cloudPath: string, expires: number, sign: string): boolean {
    const want = Buffer.from(this.sign(method, cloudPath, expires));
    const got = Buffer.from(sign);
    return want.length === got.length && timingSafeEqual(want, got);
  }
}
