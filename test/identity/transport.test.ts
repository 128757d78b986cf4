// The transport is read from the event's shape: direct calls pass through; SCF function-URL events
// give `{data}` from the JSON body and the Authorization header, and are answered {statusCode, body: {result}}.
import { APP_ERROR_CODES, AppError, toClientError } from '../../lib/errors';
import { answer, parseClientRequest, statusFor, transportOf } from '../../lib/functions/transport';
import { functionUrlEvent, readAnswer } from './helpers';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).code;
  }
  return undefined;
}

describe('parseClientRequest', () => {
  test('a direct call is its own data', () => {
    expect(parseClientRequest({ outTradeNo: 'WX123456' })).toEqual({ transport: 'direct', data: { outTradeNo: 'WX123456' } });
    expect(parseClientRequest(undefined)).toEqual({ transport: 'direct', data: {} });
  });

  test('an SCF function-URL event gives data from the body and the Authorization header', () => {
    const event = functionUrlEvent({ data: { outTradeNo: 'WX123456' }, openid: 'oSPOOF' }, { authorization: 'Bearer t.o.k' });
    expect(transportOf(event)).toBe('http');
    expect(parseClientRequest(event)).toEqual({ transport: 'http', data: { outTradeNo: 'WX123456' }, authorization: 'Bearer t.o.k' });
  });

  test('an integration-request event (HTTP access) works too: mixed-case headers, base64 body', () => {
    const event = {
      path: '/fn/queryOrder', httpMethod: 'post', headers: { Authorization: 'Bearer a.b.c' }, queryStringParameters: {},
      body: Buffer.from(JSON.stringify({ data: { x: 1 } })).toString('base64'), isBase64Encoded: true,
    };
    expect(parseClientRequest(event)).toEqual({ transport: 'http', data: { x: 1 }, authorization: 'Bearer a.b.c' });
  });

  test('an empty body or one without data is {} data; no header → no authorization', () => {
    expect(parseClientRequest(functionUrlEvent(undefined))).toEqual({ transport: 'http', data: {} });
    expect(parseClientRequest(functionUrlEvent({}))).toEqual({ transport: 'http', data: {} });
  });

  test('GET, non-JSON, non-object and oversized bodies are INVALID_INPUT', () => {
    expect(codeOf(() => parseClientRequest(functionUrlEvent({ data: {} }, {}, 'GET')))).toBe(APP_ERROR_CODES.INVALID_INPUT);
    expect(codeOf(() => parseClientRequest(functionUrlEvent('{"data":')))).toBe(APP_ERROR_CODES.INVALID_INPUT);
    expect(codeOf(() => parseClientRequest(functionUrlEvent('[1,2]')))).toBe(APP_ERROR_CODES.INVALID_INPUT);
    expect(codeOf(() => parseClientRequest(functionUrlEvent({ data: 'x'.repeat(110 * 1024) })))).toBe(APP_ERROR_CODES.INVALID_INPUT);
    expect(codeOf(() => parseClientRequest({ httpMethod: 'POST', headers: {}, body: { data: {} } }))).toBe(APP_ERROR_CODES.INVALID_INPUT);
  });
});

describe('answer', () => {
  test('direct answers are the value itself', () => {
    expect(answer('direct', { ok: 1 })).toEqual({ ok: 1 });
  });

  test('HTTP answers wrap the value as {result} with 200 and no-store', () => {
    const a = readAnswer(answer('http', { openid: 'o1' }));
    expect(a.statusCode).toBe(200);
    expect(a.headers).toEqual({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(a.payload).toEqual({ result: { openid: 'o1' } });
  });

  test('HTTP error answers keep the {error} result and carry a matching status', () => {
    const err = toClientError(new AppError(APP_ERROR_CODES.UNAUTHENTICATED, 'log in'));
    const a = readAnswer(answer('http', err));
    expect(a.statusCode).toBe(401);
    expect(a.payload).toEqual({ result: { error: { code: 'UNAUTHENTICATED', message: 'log in', retryable: false } } });
    expect(statusFor(toClientError(new Error('boom')))).toBe(500);
    expect(statusFor({ error: { code: 'INVALID_INPUT' } })).toBe(400);
    expect(statusFor({ error: { code: 'ORDER_NOT_FOUND' } })).toBe(404);
    expect(statusFor({ error: { code: 'PAYMENT_PROVIDER_UNAVAILABLE' } })).toBe(503);
  });
});
