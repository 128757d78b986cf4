/**
 * A recording pass-through on 127.0.0.1 for the hygiene flow, so the secrets that only ever exist
 * in flight can be looked for by value:
 *   /sns/jscode2session → the simulator (code2Session): records each session_key it hands out;
 *   anything else       → the CloudBase emulator (the functions' wx-server-sdk is pointed here
 *                          with TCB_CONTEXT_CNFG): records each per-invocation wxCloudApiToken.
 * Requests and answers pass unchanged; what is recorded is never printed (flow.ts writes it to a
 * file the test reads), so recording cannot itself leak into the captured output.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

export interface Recorder {
  url: string;
  /** Where to forward: the simulator (code2Session) and the CloudBase emulator (admin wire). */
  setTargets(targets: { wxApi: string; cloudbase: string }): void;
  sessionKeys: string[];
  invocationTokens: Set<string>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function jsonOf(buf: Buffer): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(buf.toString('utf8'));
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function startRecorder(): Promise<Recorder> {
  let targets: { wxApi: string; cloudbase: string } | undefined;
  const sessionKeys: string[] = [];
  const invocationTokens = new Set<string>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!targets) throw new Error('recorder has no targets yet');
    const body = await readBody(req);
    const toWx = (req.url ?? '/').startsWith('/sns/');
    if (!toWx) {
      const token = jsonOf(body)?.wxCloudApiToken;
      if (typeof token === 'string' && token !== '') invocationTokens.add(token);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && typeof v === 'string') headers[k] = v;
    const upstream = await fetch(`${toWx ? targets.wxApi : targets.cloudbase}${req.url}`, {
      method: req.method,
      headers,
      ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
    });
    const answer = Buffer.from(await upstream.arrayBuffer());
    if (toWx) {
      const key = jsonOf(answer)?.session_key;
      if (typeof key === 'string') sessionKeys.push(key);
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json', 'content-length': answer.length });
    res.end(answer);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setTargets(t) {
      targets = t;
    },
    sessionKeys,
    invocationTokens,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
