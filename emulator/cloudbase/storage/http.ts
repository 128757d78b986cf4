/**
 * `/storage/<bucket>/<path>` on the emulator's port, standing in for the COS endpoints:
 * PUT with the `authorization` from getUploadMetadata stores the body (streamed to disk, size
 * checked as it arrives); GET/HEAD with `?sign=&t=` from getTempFileURL serves the file until `t`.
 * Failures answer COS-style XML (`<Error><Code>…`), which @cloudbase/node-sdk parses.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { describeLimit, LIMITS } from '../limits';
import type { StorageContext } from './actions';

const TYPES: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.csv': 'text/csv; charset=utf-8', '.pdf': 'application/pdf',
};

function xmlError(res: ServerResponse, status: number, code: string, message: string, resource: string): void {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = `<?xml version='1.0' encoding='utf-8' ?>\n<Error><Code>${code}</Code><Message>${esc(message)}</Message><Resource>${esc(resource)}</Resource><RequestId>${randomUUID()}</RequestId><TraceId>emulator</TraceId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The cloud path in `/storage/<bucket>/<path>`, or undefined when the URL is not ours. */
function cloudPathOf(ctx: StorageContext, pathname: string): string | undefined {
  const prefix = `/storage/${ctx.files.bucket}/`;
  if (!pathname.startsWith(prefix)) return undefined;
  try {
    return decodeURIComponent(pathname.slice(prefix.length));
  } catch {
    return undefined;
  }
}

export function isStorageRequest(pathname: string): boolean {
  return pathname.startsWith('/storage/');
}

export async function handleStorage(ctx: StorageContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const cloudPath = cloudPathOf(ctx, url.pathname);
  if (cloudPath === undefined) return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist.', url.pathname);
  const nowSec = Math.floor(ctx.now() / 1000);
  if (req.method === 'PUT') return upload(ctx, req, res, cloudPath, nowSec);
  if (req.method !== 'GET' && req.method !== 'HEAD') return xmlError(res, 405, 'MethodNotAllowed', `${req.method} is not allowed on an object here`, cloudPath);
  const t = Number(url.searchParams.get('t'));
  const sign = url.searchParams.get('sign') ?? '';
  if (!Number.isInteger(t) || !ctx.files.verify('GET', cloudPath, t, sign)) return xmlError(res, 403, 'AccessDenied', 'Access Denied: the link is not signed for this file (get a fresh one with getTempFileURL).', cloudPath);
  if (t < nowSec) return xmlError(res, 403, 'AccessDenied', 'Request has expired (get a fresh link with getTempFileURL).', cloudPath);
  const meta = ctx.files.stat(cloudPath);
  if (!meta) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.', cloudPath);
  res.writeHead(200, { 'content-type': TYPES[path.extname(cloudPath).toLowerCase()] ?? 'application/octet-stream', 'content-length': meta.size, 'cache-control': `max-age=${t - nowSec}` });
  if (req.method === 'HEAD') return void res.end();
  await pipeline(fs.createReadStream(ctx.files.contentPath(cloudPath)), res);
}

async function upload(ctx: StorageContext, req: IncomingMessage, res: ServerResponse, cloudPath: string, nowSec: number): Promise<void> {
  const auth = /^q-sign-time=(\d+)&sign=([0-9a-f]+)$/.exec(String(req.headers.authorization ?? ''));
  if (!auth || !ctx.files.verify('PUT', cloudPath, Number(auth[1]), auth[2])) {
    req.resume();
    return xmlError(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided (upload through uploadFile).', cloudPath);
  }
  if (Number(auth[1]) < nowSec) {
    req.resume();
    return xmlError(res, 403, 'AccessDenied', 'Request has expired (call uploadFile again).', cloudPath);
  }
  const tmp = ctx.files.tempFile();
  const out = fs.createWriteStream(tmp);
  let size = 0;
  let tooLarge = false;
  // Count as it streams; past the limit stop writing but keep reading, so the client gets the answer.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > ctx.maxFileBytes) tooLarge = true;
    if (!tooLarge && !out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  if (tooLarge) {
    fs.rmSync(tmp, { force: true });
    const limit = ctx.maxFileBytes === LIMITS.storageFile.value ? describeLimit(LIMITS.storageFile) : `${ctx.maxFileBytes} bytes`;
    return xmlError(res, 400, 'EntityTooLarge', `Your proposed upload exceeds the maximum allowed object size (${limit}).`, cloudPath);
  }
  ctx.files.commit(cloudPath, tmp, size);
  res.writeHead(200, { 'content-length': 0, etag: `"${size}"` });
  res.end();
}
