// Shared plumbing for the identity tests: SCF function-URL events (the shape Tencent SCF hands a
// function behind a function URL: lower-case headers, plain string body, queryString) and a reader
// for the `{statusCode, headers, body}` answers.
import { randomBytes } from 'crypto';

export const SESSION_SECRET = randomBytes(32).toString('base64');

export function functionUrlEvent(body: unknown, headers: Record<string, string> = {}, httpMethod = 'POST'): Record<string, unknown> {
  return {
    body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', host: 'fn-123.ap-shanghai.tencentscf.com', ...headers },
    httpMethod,
    path: '/',
    queryString: {},
  };
}

export interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string>;
  payload: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  raw: string;
}

export function readAnswer(value: unknown): HttpAnswer {
  const r = value as { statusCode: number; headers: Record<string, string>; body: string };
  expect(typeof r.statusCode).toBe('number');
  expect(typeof r.body).toBe('string');
  return { statusCode: r.statusCode, headers: r.headers, payload: JSON.parse(r.body), raw: r.body };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
