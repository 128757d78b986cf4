/**
 * HTTP events as the platforms deliver them to a function: WeChat Cloud's HTTP access
 * ("integration request": base64 body when flagged, headers in any case) and SCF function URLs
 * (lower-case headers, plain body). Both become one shape with the raw body preserved byte-exact,
 * because signature verification is over the exact bytes WeChat sent.
 */
export interface HttpRequest {
  method: string;
  path: string;
  /** header names lower-cased */
  headers: Record<string, string>;
  rawBody: Buffer;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}

export class HttpEventError extends Error {
  readonly code = 'INVALID_HTTP_EVENT';
}

function lowerCaseHeaders(raw: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof raw !== 'object' || raw === null) return headers;
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') headers[name.toLowerCase()] = value[0];
  }
  return headers;
}

export function isHttpEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'httpMethod' in event && 'headers' in event;
}

export function parseHttpEvent(event: unknown): HttpRequest {
  if (!isHttpEvent(event)) throw new HttpEventError('Not an HTTP event: bind this function to an HTTP access path or function URL.');
  const e = event as Record<string, unknown>;
  // Checked, not String()-ed: an object without a prototype would throw a TypeError there (found by fuzzing).
  if (typeof e.httpMethod !== 'string') throw new HttpEventError('HTTP event httpMethod must be a string.');
  const body = e.body ?? '';
  if (typeof body !== 'string') throw new HttpEventError('HTTP event body must be a string.');
  const rawBody = e.isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  return {
    method: e.httpMethod.toUpperCase(),
    path: typeof e.path === 'string' ? e.path : '/',
    headers: lowerCaseHeaders(e.headers),
    rawBody,
  };
}

export function jsonResponse(statusCode: number, payload?: unknown): HttpResponse {
  return {
    statusCode,
    headers: payload === undefined ? {} : { 'content-type': 'application/json' },
    body: payload === undefined ? '' : JSON.stringify(payload),
    isBase64Encoded: false,
  };
}
