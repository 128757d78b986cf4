/**
 * Tencent Cloud Secrets Manager (SSM) GetSecretValue, API 2019-09-23, over node's http(s) (Node 16
 * runtimes have no fetch). One call, one answer: caching and retries belong to resolver.ts.
 * Errors carry the API's error code and request id, never a secret value (there is none in an error).
 */
import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';
import { signTc3, type Tc3Credentials } from './tc3';

export const SSM_DEFAULT_ENDPOINT = 'ssm.tencentcloudapi.com';
export const SSM_VERSION = '2019-09-23';
/** The version GetSecretValue serves as "the one in use" (the API requires a VersionId). */
export const SSM_CURRENT_VERSION = 'SSM_Current';

export type SsmErrorKind = 'NOT_FOUND' | 'DENIED' | 'UNAVAILABLE' | 'FAILED';

export class SsmError extends Error {
  override readonly name = 'SsmError';
  constructor(
    readonly kind: SsmErrorKind,
    message: string,
    readonly apiCode?: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export interface SsmClientOptions {
  credentials: Tc3Credentials;
  region: string;
  /** Parsed by parseSsmEndpoint. */
  endpoint: SsmEndpoint;
  timeoutMs?: number;
  /** Unix ms; default Date.now. Only the signature's timestamp uses it. */
  now?: () => number;
}

export interface SsmEndpoint {
  protocol: 'https:' | 'http:';
  hostname: string;
  port?: number;
}

/** "ssm.tencentcloudapi.com", "https://ssm.ap-shanghai.tencentcloudapi.com", or http://127.0.0.1:PORT (tests). */
export function parseSsmEndpoint(value: string | undefined): SsmEndpoint {
  const text = (value ?? '').trim() || SSM_DEFAULT_ENDPOINT;
  const url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  // Secrets never cross a network unencrypted: plain http only to a double on this machine.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error('must be https (plain http is allowed only for 127.0.0.1/localhost)');
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search) throw new Error('must be a host or an origin, without a path or query');
  return { protocol: url.protocol as SsmEndpoint['protocol'], hostname: url.hostname, ...(url.port ? { port: Number(url.port) } : {}) };
}

export interface SecretValue {
  /** SecretString, or SecretBinary decoded from base64 as UTF-8. */
  value: string;
  versionId: string;
}

interface ApiResponse {
  Response?: { Error?: { Code?: string; Message?: string }; RequestId?: string; SecretString?: string; SecretBinary?: string; VersionId?: string };
}

export async function getSecretValue(opts: SsmClientOptions, secretName: string, versionId = SSM_CURRENT_VERSION): Promise<SecretValue> {
  const body = JSON.stringify({ SecretName: secretName, VersionId: versionId });
  const headers = signTc3({
    credentials: opts.credentials,
    service: 'ssm',
    hostname: opts.endpoint.hostname,
    action: 'GetSecretValue',
    version: SSM_VERSION,
    region: opts.region,
    body,
    timestamp: Math.floor((opts.now ?? Date.now)() / 1000),
  });
  const text = await post(opts.endpoint, headers, body, opts.timeoutMs ?? 3000);
  let parsed: ApiResponse;
  try {
    parsed = JSON.parse(text) as ApiResponse;
  } catch {
    throw new SsmError('UNAVAILABLE', 'SSM answered something that is not JSON');
  }
  const r = parsed.Response ?? {};
  if (r.Error) {
    const code = r.Error.Code ?? 'Unknown';
    throw new SsmError(kindOf(code), `${code}: ${(r.Error.Message ?? '').slice(0, 200)}`, code, r.RequestId);
  }
  if (typeof r.SecretString === 'string' && r.SecretString !== '') return { value: r.SecretString, versionId: r.VersionId ?? versionId };
  if (typeof r.SecretBinary === 'string' && r.SecretBinary !== '') {
    return { value: Buffer.from(r.SecretBinary, 'base64').toString('utf8'), versionId: r.VersionId ?? versionId };
  }
  throw new SsmError('FAILED', 'SSM answered neither SecretString nor SecretBinary', undefined, r.RequestId);
}

function kindOf(code: string): SsmErrorKind {
  if (code.startsWith('ResourceNotFound') || code.includes('NotExist')) return 'NOT_FOUND';
  if (code.startsWith('AuthFailure') || code.startsWith('UnauthorizedOperation')) return 'DENIED';
  if (code.startsWith('InternalError') || code.startsWith('RequestLimitExceeded') || code === 'ServiceUnavailable') return 'UNAVAILABLE';
  return 'FAILED';
}

function post(endpoint: SsmEndpoint, headers: Record<string, string>, body: string, timeoutMs: number): Promise<string> {
  const send = endpoint.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      { method: 'POST', hostname: endpoint.hostname, port: endpoint.port, path: '/', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          // The API answers 200 with an error envelope; anything else is the network or a proxy.
          if ((res.statusCode ?? 0) >= 500) reject(new SsmError('UNAVAILABLE', `SSM answered HTTP ${res.statusCode}`));
          else resolve(text);
        });
        res.on('error', (e) => reject(new SsmError('UNAVAILABLE', `SSM response failed: ${e.message}`)));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => reject(new SsmError('UNAVAILABLE', `SSM unreachable (${endpoint.hostname}): ${e.message}`)));
    req.end(body);
  });
}
