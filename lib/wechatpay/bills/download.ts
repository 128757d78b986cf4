/**
 * Step 2 of a bill: GET download_url, signed like any v3 GET (canonical URL = its path + raw
 * query), whose response is NOT signed — this is the one path in lib/wechatpay that accepts an
 * unsigned answer. Integrity instead: SHA-1 of the decompressed bytes must equal the apply answer's
 * hash_value. The bytes are handed on as they arrive (never the whole file in memory) and the
 * check runs at the end: a consumer must treat only a *completed* iteration as a verified bill and
 * commit nothing before (BILL_HASH_MISMATCH is thrown by the final step of the iteration).
 */
import { createHash, timingSafeEqual } from 'crypto';
import http from 'http';
import https from 'https';
import { createGunzip } from 'zlib';
import { ERROR_CODES, WxPayError } from '../errors';
import { BILL_ERROR_CODES, billError } from './errors';

/** The apply answer (tradebill / fundflowbill). */
export interface BillApply {
  hash_type: string;
  hash_value: string;
  download_url: string;
}

export interface DownloadDeps {
  /** Origin the download_url must be on: signed headers never go to another host. */
  baseUrl: URL;
  agent: http.Agent;
  /** Authorization for `GET <path?query>` with an empty body. */
  authorize(pathWithQuery: string): string;
  /** No byte for this long = failure (a slow but moving download is fine). */
  idleTimeoutMs: number;
  userAgent: string;
}

/** Refuses an apply answer we cannot verify a download against. */
export function checkApply(apply: unknown, baseUrl: URL): BillApply {
  const a = apply as Partial<BillApply> | undefined;
  if (!a || String(a.hash_type).toUpperCase() !== 'SHA1' || !/^[0-9a-fA-F]{40}$/.test(String(a.hash_value))) {
    throw billError('BILL_APPLY_INVALID', 'the bill apply answer lacks hash_type SHA1 and a 40-hex hash_value; apply again');
  }
  let url: URL;
  try {
    url = new URL(String(a.download_url));
  } catch {
    throw billError('BILL_APPLY_INVALID', 'the bill apply answer has no valid download_url; apply again');
  }
  if (url.origin !== baseUrl.origin) {
    throw billError('BILL_APPLY_INVALID', `download_url is on ${url.origin}, not the API host ${baseUrl.origin}: refusing to send signed headers there`);
  }
  return a as BillApply;
}

function request(deps: DownloadDeps, url: URL): Promise<http.IncomingMessage> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const headers = { Accept: '*/*', Authorization: deps.authorize(url.pathname + url.search), 'User-Agent': deps.userAgent };
    const req = transport.request(url, { method: 'GET', headers, agent: deps.agent }, resolve);
    req.setTimeout(deps.idleTimeoutMs, () => req.destroy(new WxPayError(ERROR_CODES.TIMEOUT, `bill download idle for ${deps.idleTimeoutMs} ms`)));
    req.on('error', (cause) => reject(cause instanceof WxPayError ? cause : new WxPayError(ERROR_CODES.NETWORK_ERROR, `bill download failed: ${(cause as { code?: string }).code ?? (cause as Error).message}`, { cause })));
    req.end();
  });
}

async function errorOf(res: http.IncomingMessage): Promise<WxPayError> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size <= 65536) chunks.push(chunk as Buffer);
  }
  let envelope: { code?: unknown; message?: unknown } = {};
  try {
    envelope = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    // not the WeChat envelope
  }
  const code = typeof envelope.code === 'string' && envelope.code ? envelope.code : ERROR_CODES.HTTP_ERROR;
  const hint = code === 'INVALID_REQUEST' ? ' (the download_url expired or was used: apply again)' : '';
  return new WxPayError(code, `bill download answered ${res.statusCode} ${code}: ${String(envelope.message ?? '')}${hint}`, { httpStatus: res.statusCode });
}

/** Source bytes, gunzipped when they start with the gzip magic (tar_type=GZIP), else as they are. */
async function* decompressed(res: http.IncomingMessage): AsyncGenerator<Buffer> {
  const source = res[Symbol.asyncIterator]();
  const first = await source.next();
  if (first.done) return;
  const head = first.value as Buffer;
  if (!(head[0] === 0x1f && head[1] === 0x8b)) {
    yield head;
    for (let next = await source.next(); !next.done; next = await source.next()) yield next.value as Buffer;
    return;
  }
  const gunzip = createGunzip();
  (async () => {
    gunzip.write(head);
    for (let next = await source.next(); !next.done; next = await source.next()) {
      if (!gunzip.write(next.value)) await new Promise((r) => gunzip.once('drain', r));
    }
    gunzip.end();
  })().catch((err) => gunzip.destroy(err));
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (err) {
    if (err instanceof WxPayError) throw err;
    const zcode = (err as { code?: string }).code;
    if (zcode && zcode.startsWith('Z_')) throw billError('BILL_TRUNCATED', `the gzip bill is truncated or corrupt (${zcode}): download it again`);
    throw new WxPayError(ERROR_CODES.NETWORK_ERROR, `bill download broke off: ${zcode ?? (err as Error).message}`, { cause: err });
  }
}

export async function* downloadBill(deps: DownloadDeps, apply: BillApply): AsyncGenerator<Buffer> {
  const checked = checkApply(apply, deps.baseUrl);
  const res = await request(deps, new URL(checked.download_url));
  if (res.statusCode !== 200) throw await errorOf(res);
  const hash = createHash('sha1');
  try {
    for await (const chunk of decompressed(res)) {
      hash.update(chunk);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof WxPayError) throw err;
    throw new WxPayError(ERROR_CODES.NETWORK_ERROR, `bill download broke off: ${(err as { code?: string }).code ?? (err as Error).message}`, { cause: err });
  } finally {
    if (!res.complete) res.destroy();
  }
  const actual = hash.digest();
  const expected = Buffer.from(checked.hash_value, 'hex');
  if (!timingSafeEqual(actual, expected)) {
    throw new WxPayError(BILL_ERROR_CODES.BILL_HASH_MISMATCH, `the bill's SHA-1 ${actual.toString('hex')} differs from hash_value ${checked.hash_value.toLowerCase()}: nothing was committed; apply and download again`, {
      detail: { expected: checked.hash_value.toLowerCase(), actual: actual.toString('hex') },
    });
  }
}
