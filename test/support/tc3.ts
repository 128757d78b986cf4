/**
 * The server side of Tencent Cloud's TC3-HMAC-SHA256, for the local API doubles (SCF, SSM): the
 * signature recomputed from the raw request, independently of the signers under test (the deploy
 * uses the official SDK, lib/ssm its own signer), and refused with the API's AuthFailure.* codes.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error the double answers in the API's envelope ({Response: {Error: {Code, Message}}}). */
export class ApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const sha256hex = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, msg: string) => createHmac('sha256', key).update(msg).digest();

export interface Tc3Expectation {
  /** The SecretKey of a SecretId, or undefined when the id is unknown. */
  secretKeyOf(secretId: string): string | undefined;
  /** The service the credential scope must name, given the request's host name. */
  serviceFor(hostname: string): string;
}

/** Throws ApiError(AuthFailure.*) unless the request is signed for a known SecretId; returns that id. */
export function verifyTc3(req: IncomingMessage, body: Buffer, expect: Tc3Expectation): string {
  const auth = req.headers.authorization ?? '';
  const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) throw new ApiError('AuthFailure.SignatureFailure', 'Authorization header is not TC3-HMAC-SHA256');
  const [, secretId, date, service, signedHeaders, signature] = m;
  const secretKey = expect.secretKeyOf(secretId);
  if (!secretKey) throw new ApiError('AuthFailure.SecretIdNotFound', 'unknown SecretId');
  const ts = Number(req.headers['x-tc-timestamp']);
  if (!Number.isInteger(ts) || Math.abs(Date.now() / 1000 - ts) > 300) throw new ApiError('AuthFailure.SignatureExpire', 'timestamp skew');
  if (new Date(ts * 1000).toISOString().slice(0, 10) !== date) throw new ApiError('AuthFailure.SignatureFailure', 'credential date is not the timestamp date');
  const hostname = String(req.headers.host ?? '').replace(/:\d+$/, '');
  const wanted = expect.serviceFor(hostname);
  if (service !== wanted) throw new ApiError('AuthFailure.SignatureFailure', `service ${service} is not ${wanted} (host ${hostname})`);
  if (signedHeaders !== 'content-type;host') throw new ApiError('AuthFailure.SignatureFailure', 'unexpected SignedHeaders');
  const canonical = ['POST', '/', '', `content-type:${req.headers['content-type']}`, `host:${hostname}`, '', signedHeaders, sha256hex(body)].join('\n');
  const toSign = ['TC3-HMAC-SHA256', String(ts), `${date}/${service}/tc3_request`, sha256hex(canonical)].join('\n');
  const key = hmac(hmac(hmac('TC3' + secretKey, date), service), 'tc3_request');
  const expected = createHmac('sha256', key).update(toSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) throw new ApiError('AuthFailure.SignatureFailure', 'signature mismatch');
  return secretId;
}

/**
 * Reads one API call and answers it in the Tencent Cloud envelope: HTTP 200 with
 * `{Response: {...result, RequestId}}`, or `{Response: {Error: {Code, Message}, RequestId}}` when
 * `handle` throws (an ApiError keeps its code; anything else is InternalError).
 */
export function answerApiCall(req: IncomingMessage, res: ServerResponse, requestId: string, handle: (body: Buffer) => Record<string, unknown>): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let Response: Record<string, unknown>;
    try {
      Response = { ...handle(Buffer.concat(chunks)), RequestId: requestId };
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError('InternalError', (e as Error).message);
      Response = { Error: { Code: err.code, Message: err.message }, RequestId: requestId };
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Response }));
  });
}
