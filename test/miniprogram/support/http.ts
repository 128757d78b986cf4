// Minimal JSON-over-HTTP client on node's http module (the tests run in jsdom, which has no fetch).
import http = require('http');

export interface HttpResponse { status: number; headers: Record<string, unknown>; text: string; json: any }

export function httpRequest(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = http.request(url, { method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try { json = text ? JSON.parse(text) : undefined; } catch (_) { json = undefined; }
        resolve({ status: res.statusCode || 0, headers: res.headers as Record<string, unknown>, text, json });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
