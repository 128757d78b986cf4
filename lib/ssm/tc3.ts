/**
 * TC3-HMAC-SHA256, the signature every Tencent Cloud API 3.0 call carries — hand-written on node
 * crypto (about 40 lines) instead of tencentcloud-sdk-nodejs-common, which would add ~540 KB
 * minified to every function bundle for one GetSecretValue call. Pure: the clock is a parameter.
 *
 * Canonical request: POST\n/\n\ncontent-type:…\nhost:<hostname>\n\ncontent-type;host\n<sha256(body)>
 * String to sign:    TC3-HMAC-SHA256\n<ts>\n<date>/<service>/tc3_request\n<sha256(canonical)>
 * Key:               HMAC chain "TC3"+SecretKey → date (UTC) → service → "tc3_request".
 * The host is signed without a port, as the official SDKs do.
 */
import { createHash, createHmac } from 'crypto';

export interface Tc3Credentials {
  secretId: string;
  secretKey: string;
  /** Temporary credentials (a role's) carry a token, sent as X-TC-Token and not signed. */
  token?: string;
}

export interface Tc3Request {
  credentials: Tc3Credentials;
  /** e.g. "ssm" — fixed per product, not derived from the host (so a test double on 127.0.0.1 works). */
  service: string;
  /** Hostname, without port. */
  hostname: string;
  action: string;
  version: string;
  region?: string;
  /** Exactly the bytes that will be sent. */
  body: string;
  /** Unix seconds. */
  timestamp: number;
}

const CONTENT_TYPE = 'application/json; charset=utf-8';
const sha256hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** The headers of a signed API 3.0 request (Host is set by the HTTP client). */
export function signTc3(req: Tc3Request): Record<string, string> {
  const date = new Date(req.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonical = ['POST', '/', '', `content-type:${CONTENT_TYPE}`, `host:${req.hostname}`, '', signedHeaders, sha256hex(req.body)].join('\n');
  const scope = `${date}/${req.service}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', String(req.timestamp), scope, sha256hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${req.credentials.secretKey}`, date), req.service), 'tc3_request');
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  return {
    Authorization: `TC3-HMAC-SHA256 Credential=${req.credentials.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    'Content-Type': CONTENT_TYPE,
    'X-TC-Action': req.action,
    'X-TC-Version': req.version,
    'X-TC-Timestamp': String(req.timestamp),
    ...(req.region ? { 'X-TC-Region': req.region } : {}),
    ...(req.credentials.token ? { 'X-TC-Token': req.credentials.token } : {}),
  };
}
