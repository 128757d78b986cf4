/**
 * multipart/form-data as @cloudbase/node-sdk sends it (the `form-data` package): one part per
 * request field, text fields as UTF-8, Buffers as `Content-Type: application/octet-stream`.
 * Parts are kept as raw bytes because `requestData` is protobuf (wx.openApi) or JSON (wx.wxPayApi).
 */
import { invalidParam } from '../errors';

export type Parts = Map<string, Buffer>;

/** The boundary from a `multipart/form-data; boundary=…` content type, or null if it is not one. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
}

function partName(head: string): string {
  const disposition = head.split('\r\n').find((l) => /^content-disposition\s*:/i.test(l));
  const m = disposition && /;\s*name="([^"]*)"/i.exec(disposition);
  if (!m) throw invalidParam('multipart part without a Content-Disposition name');
  return m[1];
}

/** Split the body into named parts. Throws INVALID_PARAM on a malformed body (nothing is guessed). */
export function parseMultipart(body: Buffer, boundary: string): Parts {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Parts = new Map();
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw invalidParam('multipart body does not contain its boundary');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString('latin1') === '--') return parts; // closing delimiter
    if (body.subarray(pos, pos + 2).toString('latin1') !== '\r\n') throw invalidParam('multipart boundary not followed by CRLF');
    const headEnd = body.indexOf('\r\n\r\n', pos + 2);
    if (headEnd < 0) throw invalidParam('multipart part without a header end');
    const name = partName(body.subarray(pos + 2, headEnd).toString('utf8'));
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headEnd + 4);
    if (next < 0) throw invalidParam(`multipart part ${name} is not terminated by the boundary`);
    parts.set(name, body.subarray(headEnd + 4, next));
    pos = next + 2;
  }
}

export function textPart(parts: Parts, name: string): string | undefined {
  return parts.get(name)?.toString('utf8');
}
