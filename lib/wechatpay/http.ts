/**
 * Minimal HTTP transport over node:http/https: one attempt, a hard timeout, the raw response bytes
 * (signatures cover the exact bytes, so nothing here decodes or parses the body).
 */
import http from 'http';
import https from 'https';
import { ERROR_CODES, WxPayError } from './errors';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface RawRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  agent: http.Agent;
}

/** Keep-alive agents: TLS handshakes dominate latency to api.mch.weixin.qq.com otherwise. */
export function createAgent(baseUrl: URL): http.Agent {
  const options = { keepAlive: true, maxSockets: 32, keepAliveMsecs: 15_000 };
  return baseUrl.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}

export function sendRequest(req: RawRequest): Promise<RawResponse> {
  const transport = req.url.protocol === 'https:' ? https : http;
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    const fail = (err: WxPayError): void => {
      if (!settled) {
        settled = true;
        reject(err);
      }
    };
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers['Content-Length'] = Buffer.byteLength(req.body);
    const outgoing = transport.request(req.url, { method: req.method, headers, agent: req.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (cause) => fail(networkError(req, cause)));
      res.on('end', () => {
        clearTimeout(timer);
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    // One timer for the whole exchange (connect + send + full response), not just socket idleness.
    const timer = setTimeout(() => {
      fail(new WxPayError(ERROR_CODES.TIMEOUT, `${req.method} ${req.url.pathname} timed out after ${req.timeoutMs} ms`));
      outgoing.destroy();
    }, req.timeoutMs);
    outgoing.on('error', (cause) => {
      clearTimeout(timer);
      fail(networkError(req, cause));
    });
    outgoing.end(req.body);
  });
}

function networkError(req: RawRequest, cause: unknown): WxPayError {
  const code = (cause as { code?: string }).code;
  return new WxPayError(ERROR_CODES.NETWORK_ERROR, `${req.method} ${req.url.pathname} failed: ${code ?? (cause as Error).message}`, {
    cause,
    detail: { errno: code },
  });
}
