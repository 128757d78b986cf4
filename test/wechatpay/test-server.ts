/**
 * A tiny WeChat-Pay-shaped server on 127.0.0.1:0 for client tests: it verifies the merchant's
 * Authorization with the library's inverse helper and answers whatever the test's handler returns.
 */
import http from 'http';
import { AddressInfo } from 'net';
import { verifyRequestSignature } from '../../lib/wechatpay';

export interface Received {
  method: string;
  url: string;
  body: string;
  headers: http.IncomingHttpHeaders;
  authError?: string;
}

export interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answer (timeout tests). */
  hang?: boolean;
}

/** `now` is the server's clock for the Authorization skew check (tests inject the same clock as the client). */
export async function startTestServer(merchantPublicKey: string, handler: (req: Received) => Reply, now: () => number = Date.now) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { method: req.method!, url: req.url!, body: Buffer.concat(chunks).toString(), headers: req.headers };
      try {
        verifyRequestSignature({ method: r.method, url: r.url, body: r.body, authorization: req.headers.authorization, publicKey: merchantPublicKey, now: now() });
      } catch (e) {
        r.authError = (e as Error).message;
      }
      received.push(r);
      const reply = r.authError ? { status: 401, body: JSON.stringify({ code: 'SIGN_ERROR', message: r.authError }) } : handler(r);
      if (reply.hang) return;
      res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
