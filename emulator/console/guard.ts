/**
 * The console listens on loopback, but the developer's browser also visits other sites. Two cheap
 * checks keep those out: the Host must be a loopback name (DNS rebinding), and a POST must be JSON
 * from our own origin (a cross-site form can't send application/json without a preflight we never
 * answer). Returns a refusal, or undefined when the request may proceed.
 */
import type { IncomingMessage } from 'node:http';

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;

export function refuse(req: IncomingMessage): { status: number; code: string; message: string } | undefined {
  const host = req.headers.host ?? '';
  if (!LOOPBACK_HOST.test(host)) return { status: 403, code: 'FORBIDDEN_HOST', message: `the console answers only to 127.0.0.1/localhost (Host: ${host})` };
  if (req.method !== 'POST') return undefined;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return { status: 403, code: 'FORBIDDEN_ORIGIN', message: `cross-origin request from ${origin}` };
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return { status: 415, code: 'JSON_REQUIRED', message: 'POST bodies must be application/json' };
  return undefined;
}
