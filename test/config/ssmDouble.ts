/**
 * A local Tencent Cloud Secrets Manager (SSM) double: real HTTP on 127.0.0.1, port 0. Like the SCF
 * double in test/deploy, it recomputes the TC3-HMAC-SHA256 signature from the raw request itself
 * (independently of lib/ssm/tc3.ts), and it also checks the role's session token (X-TC-Token),
 * the API version, the action and the region. It serves GetSecretValue from versioned secrets,
 * with `SSM_Current` meaning the newest version, and records each call (name and version only).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerApiCall, ApiError, verifyTc3 } from '../support/tc3';

export interface SsmCaller {
  secretKey: string;
  /** Temporary (role) credentials: the token every request must carry. */
  token?: string;
}

export interface SsmCall {
  secretName: string;
  versionId: string;
  region: string;
  token?: string;
}

export interface SsmDouble {
  url: string;
  calls: SsmCall[];
  /** Adds a version (it becomes SSM_Current). `binary` stores it as SecretBinary (base64 on the wire). */
  putSecret(name: string, versionId: string, value: string, options?: { binary?: boolean }): void;
  /** While down every request answers HTTP 503 with no body; such requests are counted in `refused`, not `calls`. */
  setDown(down: boolean): void;
  refused: number;
  close(): Promise<void>;
}

/** TC3 as the SSM API checks it, plus the session token temporary credentials need. */
function verify(req: IncomingMessage, body: Buffer, callers: Record<string, SsmCaller>): void {
  const secretId = verifyTc3(req, body, { secretKeyOf: (id) => callers[id]?.secretKey, serviceFor: () => 'ssm' });
  const caller = callers[secretId];
  // Temporary credentials are useless without their token (the API answers AuthFailure.TokenFailure).
  if (caller.token !== undefined && req.headers['x-tc-token'] !== caller.token) throw new ApiError('AuthFailure.TokenFailure', 'token missing or invalid');
}

export async function startSsmDouble(callers: Record<string, SsmCaller>): Promise<SsmDouble> {
  const secrets = new Map<string, Array<{ versionId: string; value: string; binary: boolean }>>();
  const calls: SsmCall[] = [];
  let down = false;
  let seq = 0;
  const double = {} as SsmDouble;

  const getSecretValue = (p: Record<string, unknown>) => {
    if (typeof p.SecretName !== 'string' || !p.SecretName) throw new ApiError('InvalidParameterValue', 'SecretName is required');
    if (typeof p.VersionId !== 'string' || !p.VersionId) throw new ApiError('MissingParameter', 'VersionId is required');
    const versions = secrets.get(p.SecretName);
    if (!versions) throw new ApiError('ResourceNotFound', `secret ${p.SecretName} does not exist`);
    const v = p.VersionId === 'SSM_Current' ? versions[versions.length - 1] : versions.find((x) => x.versionId === p.VersionId);
    if (!v) throw new ApiError('ResourceNotFound', `version ${p.VersionId} of ${p.SecretName} does not exist`);
    return {
      SecretName: p.SecretName,
      VersionId: v.versionId,
      SecretString: v.binary ? '' : v.value,
      SecretBinary: v.binary ? Buffer.from(v.value, 'utf8').toString('base64') : '',
    };
  };

  const server: Server = createServer((req, res) => {
    if (down) {
      double.refused++;
      res.writeHead(503).end();
      return;
    }
    answerApiCall(req, res, `ssm-req-${++seq}`, (body) => {
      if (req.method !== 'POST' || req.url !== '/') throw new ApiError('InvalidAction', 'POST / only');
      verify(req, body, callers);
      if (req.headers['x-tc-version'] !== '2019-09-23') throw new ApiError('InvalidParameter', 'X-TC-Version must be 2019-09-23');
      if (req.headers['x-tc-action'] !== 'GetSecretValue') throw new ApiError('InvalidAction', `action ${req.headers['x-tc-action']} is not served by the double`);
      const region = String(req.headers['x-tc-region'] ?? '');
      if (!region) throw new ApiError('InvalidParameter', 'X-TC-Region is required');
      const params = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      const token = req.headers['x-tc-token'] as string | undefined;
      calls.push({ secretName: String(params.SecretName), versionId: String(params.VersionId), region, ...(token ? { token } : {}) });
      return getSecretValue(params);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  Object.assign(double, {
    url: `http://127.0.0.1:${port}`,
    calls,
    refused: 0,
    putSecret(name: string, versionId: string, value: string, options: { binary?: boolean } = {}) {
      const list = secrets.get(name) ?? [];
      list.push({ versionId, value, binary: options.binary === true });
      secrets.set(name, list);
    },
    setDown(d: boolean) {
      down = d;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections(); // keep-alive sockets of the client would hold close() open
      }),
  });
  return double;
}
