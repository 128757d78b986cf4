/**
 * The three exact strings WeChat Pay signs. Pure string building, no crypto, so they can be tested
 * byte-for-byte and reused by the simulator. Every line ends with '\n', including the last.
 */
import { ERROR_CODES, WxPayError } from './errors';

export type RawBody = string | Buffer;

/** `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n` — what the merchant signs for a request. */
export function buildRequestMessage(
  method: string,
  url: string,
  timestamp: string | number,
  nonce: string,
  body: RawBody = '',
): string | Buffer {
  const head = `${method.toUpperCase()}\n${canonicalPath(url)}\n${timestamp}\n${nonce}\n`;
  return joinBody(head, assertRawBody(body, 'body'));
}

/** `TIMESTAMP\nNONCE\nBODY\n` — what WeChat signs for responses and notifications. */
export function buildResponseMessage(timestamp: string | number, nonce: string, body: RawBody = ''): string | Buffer {
  return joinBody(`${timestamp}\n${nonce}\n`, assertRawBody(body, 'body'));
}

/** `appId\ntimeStamp\nnonceStr\nprepay_id=…\n` — the paySign message for wx.requestPayment. */
export function buildPaySignMessage(appId: string, timeStamp: string, nonceStr: string, pkg: string): string {
  return `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;
}

/**
 * Path plus query, no scheme/host: an absolute URL is reduced to it, a path is kept verbatim
 * (re-encoding it could change the bytes the server sees and break the signature).
 */
export function canonicalPath(url: string): string {
  if (typeof url !== 'string' || url.length === 0) {
    throw new WxPayError(ERROR_CODES.INVALID_ARGUMENT, 'url must be an absolute URL or a path starting with "/"');
  }
  if (url.startsWith('/')) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WxPayError(ERROR_CODES.INVALID_ARGUMENT, `url "${url}" is neither an absolute URL nor a path starting with "/"`);
  }
  return parsed.pathname + parsed.search;
}

/**
 * Signatures cover raw bytes; a parsed object re-serialised by us would not match what was sent.
 * Say so explicitly (the most common integration bug).
 */
export function assertRawBody(body: unknown, what: string): RawBody {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  throw new WxPayError(
    ERROR_CODES.BODY_NOT_RAW,
    `${what} must be the raw string or Buffer exactly as sent/received, got ${typeof body}: ` +
      'you probably passed a parsed JSON object; pass the raw request body instead',
  );
}

// Strings stay strings (fast path); a Buffer body keeps its exact bytes, even if not valid UTF-8.
function joinBody(head: string, body: RawBody): string | Buffer {
  if (typeof body === 'string') return `${head}${body}\n`;
  return Buffer.concat([Buffer.from(head), body, NEWLINE]);
}

const NEWLINE = Buffer.from('\n');
