/**
 * Property-based fuzzing (fast-check, bounded runs) of the front doors: the notification parser,
 * every input validator, the transport (direct and HTTP events), session tokens and the login
 * {code} check. Whatever comes in, the only possible failure is the typed error with a documented
 * code — never a TypeError, a RangeError or a crash. (Pure functions, bar login's code2Session,
 * which goes to the real simulator on 127.0.0.1: nothing to write.)
 */
import { createHmac, generateKeyPairSync } from 'crypto';
import fc from 'fast-check';
import { startWechatSimulator, type WechatSimulator } from '../../emulator/wechat';
import { AppError } from '../../lib/errors';
import { loginFunction } from '../../lib/functions/handler';
import { exchangeLoginCode } from '../../lib/functions/identity';
import { SessionError, signSessionToken, verifySessionToken } from '../../lib/functions/session';
import { parseClientRequest } from '../../lib/functions/transport';
import { HttpEventError, parseHttpEvent } from '../../lib/http/event';
import { parseCreateOrderRequest, parseOutTradeNo, parseQueryOrderRequest } from '../../lib/orders/validate';
import { parseRefundRequest } from '../../lib/refunds/validate';
import { buildNotification, ERROR_CODES, parseNotification, WxPayError } from '../../lib/wechatpay';

const RUNS = { numRuns: 300, seed: 20240601 };
const pair = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const apiV3Key = 'fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz';
const serial = 'PUB_KEY_ID_0000000000000000000000000000FUZZ';
const now = 1_760_000_000_000;
const options = { apiV3Key, publicKeys: { [serial]: pair.publicKey }, now };
const genuine = buildNotification({ eventType: 'TRANSACTION.SUCCESS', resource: { out_trade_no: 'K123456', amount: { total: 1 } }, apiV3Key, privateKey: pair.privateKey, serial, now });
const WX_CODES = new Set<string>(Object.values(ERROR_CODES));

function onlyWxPayError(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    if (!(err instanceof WxPayError) || !WX_CODES.has(err.code)) throw new Error(`untyped failure: ${(err as Error)?.name}: ${(err as Error)?.message}`);
  }
}

function onlyInvalidInput(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'INVALID_INPUT') throw new Error(`untyped failure: ${(err as Error)?.name}: ${(err as Error)?.message}`);
  }
}

/** JSON-ish values plus the things a careless caller passes: Buffers, Dates, functions, getters that throw. */
const hostile = fc.oneof(
  fc.anything({ withBoxedValues: true, withNullPrototype: true, withObjectString: true, withSparseArray: true, withTypedArray: true }),
  fc.jsonValue(),
  fc.constantFrom(Buffer.from('x'), new Date(NaN), () => 1, Symbol('s'), BigInt(1), Number.NaN, -0, Infinity),
);

describe('parseNotification', () => {
  it('arbitrary headers and bodies: typed errors only', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.constant(undefined as unknown as string))), fc.oneof(fc.string(), fc.uint8Array().map((a) => Buffer.from(a))), (headers, body) => {
      onlyWxPayError(() => parseNotification({ headers, body }, options));
    }), RUNS);
  });

  it('a genuine notification with any header value replaced: typed errors only', () => {
    const names = Object.keys(genuine.headers);
    fc.assert(fc.property(fc.constantFrom(...names), fc.string({ maxLength: 600 }), (name, value) => {
      onlyWxPayError(() => parseNotification({ headers: { ...genuine.headers, [name]: value }, body: genuine.body }, options));
    }), RUNS);
  });

  it('a genuine body with bytes flipped, inserted or cut: typed errors only, and never accepted as is', () => {
    fc.assert(fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.constantFrom('flip', 'insert', 'cut'), (at, byte, how) => {
      const bytes = Buffer.from(genuine.body);
      const i = at % bytes.length;
      const mutated = how === 'flip'
        ? Buffer.from(bytes.map((b, k) => (k === i ? b ^ byte : b)))
        : how === 'insert' ? Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]) : Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
      let accepted = false;
      onlyWxPayError(() => {
        parseNotification({ headers: genuine.headers, body: mutated }, options);
        accepted = true;
      });
      expect(accepted).toBe(false);
    }), RUNS);
  });

  it('hostile request shapes (not even objects): typed errors only', () => {
    fc.assert(fc.property(hostile, hostile, (headers, body) => {
      onlyWxPayError(() => parseNotification({ headers: headers as never, body: body as never }, options));
    }), RUNS);
  });
});

describe('input validators', () => {
  const line = fc.record({ productId: fc.oneof(fc.string(), hostile), quantity: fc.oneof(fc.integer(), fc.double(), hostile) }, { requiredKeys: [] });
  const createLike = fc.record({
    items: fc.oneof(fc.array(line, { maxLength: 60 }), hostile),
    clientOrderKey: fc.oneof(fc.string(), hostile),
    outTradeNo: fc.oneof(fc.string(), hostile),
  }, { requiredKeys: [] });

  it.each([
    ['parseCreateOrderRequest', parseCreateOrderRequest],
    ['parseQueryOrderRequest', parseQueryOrderRequest],
    ['parseOutTradeNo', parseOutTradeNo],
    ['parseRefundRequest', parseRefundRequest],
  ] as Array<[string, (input: unknown) => unknown]>)('%s: anything in, a value or INVALID_INPUT out', (_name, validate) => {
    fc.assert(fc.property(fc.oneof(hostile, createLike, fc.record({ outTradeNo: fc.string(), reason: fc.oneof(fc.string(), hostile), amount: fc.oneof(fc.integer(), fc.double(), hostile) }, { requiredKeys: [] })), (input) => {
      onlyInvalidInput(() => validate(input));
    }), RUNS);
  });

  it('whatever parseCreateOrderRequest accepts is well-formed', () => {
    fc.assert(fc.property(createLike, (input) => {
      let parsed: ReturnType<typeof parseCreateOrderRequest> | undefined;
      onlyInvalidInput(() => (parsed = parseCreateOrderRequest(input)));
      if (!parsed) return;
      if (parsed.kind === 'payAgain') expect(parsed.outTradeNo).toMatch(/^[0-9A-Za-z_\-|*]{6,32}$/);
      else for (const l of parsed.items) expect(Number.isInteger(l.quantity) && l.quantity >= 1 && l.quantity <= 99 && /^[0-9A-Za-z_-]{1,64}$/.test(l.productId)).toBe(true);
    }), RUNS);
  });
});

/** JSON text of a generated value; '' when it has none (BigInt, symbols, cycles: hostile data can't be sent as JSON either). */
const json = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
};

/** HTTP-event-shaped values: the keys the transport looks at, each either plausible or hostile. */
const httpish = fc.record({
  httpMethod: fc.oneof(fc.constantFrom('POST', 'post', 'GET', ''), fc.string(), hostile),
  headers: fc.oneof(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.array(fc.string()), hostile)), hostile),
  body: fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ data: v })), fc.string().map((t) => Buffer.from(t).toString('base64')), hostile),
  isBase64Encoded: fc.oneof(fc.boolean(), hostile),
  path: fc.oneof(fc.string(), hostile),
}, { requiredKeys: ['httpMethod', 'headers'] });

describe('transport: parseClientRequest / parseHttpEvent', () => {
  it('parseClientRequest: any event, a request or INVALID_INPUT out', () => {
    fc.assert(fc.property(fc.oneof(hostile, httpish), (event) => {
      let parsed: ReturnType<typeof parseClientRequest> | undefined;
      onlyInvalidInput(() => (parsed = parseClientRequest(event)));
      if (parsed?.transport === 'http' && parsed.authorization !== undefined) expect(typeof parsed.authorization).toBe('string');
    }), RUNS);
  });

  it('parseHttpEvent: any event, a request or HttpEventError out; the raw body is always bytes', () => {
    fc.assert(fc.property(fc.oneof(hostile, httpish), (event) => {
      try {
        const request = parseHttpEvent(event);
        expect(Buffer.isBuffer(request.rawBody)).toBe(true);
        expect(typeof request.method).toBe('string');
        for (const v of Object.values(request.headers)) expect(typeof v).toBe('string');
      } catch (err) {
        if (!(err instanceof HttpEventError)) throw new Error(`untyped failure: ${(err as Error)?.name}: ${(err as Error)?.message}`);
      }
    }), RUNS);
  });
});

describe('verifySessionToken', () => {
  const secret = Buffer.from('fuzz-session-secret-0123456789abcdef-0123456789', 'utf8');
  const opts = { secret, now, appid: 'wxfuzz0000000001' };
  const genuineToken = signSessionToken({ secret, openid: 'oFUZZ0000000000000000001', appid: opts.appid, ttlSeconds: 600, now }).token;
  const onlySessionError = (token: unknown): unknown => {
    try {
      return verifySessionToken(token, opts);
    } catch (err) {
      if (!(err instanceof SessionError) || !['SESSION_INVALID', 'SESSION_EXPIRED'].includes(err.code)) {
        throw new Error(`untyped failure: ${(err as Error)?.name}: ${(err as Error)?.message}`);
      }
      return undefined;
    }
  };
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

  it('anything in: claims or SessionError out', () => {
    fc.assert(fc.property(fc.oneof(hostile, fc.string({ maxLength: 5000 }), fc.tuple(fc.string(), fc.string(), fc.string()).map((p) => p.join('.')),
      fc.tuple(fc.base64String(), fc.base64String()).map(([a, b]) => `v1.${a.replace(/=/g, '')}.${b.replace(/=/g, '')}`)), (token) => {
      expect(onlySessionError(token)).toBeUndefined();
    }), RUNS);
  });

  it('a genuine token with one character changed, added or cut is never accepted', () => {
    fc.assert(fc.property(fc.nat(), fc.constantFrom(...'ABCabc019_-.=+/ '.split('')), fc.constantFrom('replace', 'insert', 'cut'), (at, ch, how) => {
      const i = at % genuineToken.length;
      const mutated = how === 'replace' ? genuineToken.slice(0, i) + ch + genuineToken.slice(i + 1)
        : how === 'insert' ? genuineToken.slice(0, i) + ch + genuineToken.slice(i) : genuineToken.slice(0, i) + genuineToken.slice(i + 1);
      fc.pre(mutated !== genuineToken);
      // A base64url tail character can carry padding bits only; the MAC bytes decoded must differ to matter.
      const claims = onlySessionError(mutated);
      if (claims) expect(Buffer.from(mutated.split('.')[2] ?? '', 'base64url')).toEqual(Buffer.from(genuineToken.split('.')[2], 'base64url'));
    }), RUNS);
  });

  it('correctly signed but arbitrary claims (any JSON, or not JSON): well-formed claims or SessionError', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string(), fc.record({ openid: fc.oneof(fc.string(), hostile), exp: fc.oneof(fc.integer(), fc.double(), hostile), iat: fc.oneof(fc.integer(), hostile), appid: fc.oneof(fc.constant(opts.appid), fc.string()) }, { requiredKeys: [] }).map(json)), (claimsText) => {
      const signed = `v1.${b64(claimsText)}`;
      const token = `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
      const claims = onlySessionError(token) as { openid?: unknown; exp?: unknown } | undefined;
      if (claims) {
        expect(typeof claims.openid === 'string' && claims.openid !== '').toBe(true);
        expect(Number.isInteger(claims.exp) && (claims.exp as number) * 1000 > now).toBe(true);
      }
    }), RUNS);
  });
});

describe('login {code}', () => {
  let sim: WechatSimulator;
  const appSecret = 'fuzz-app-secret-not-a-real-one';
  const sessionSecret = Buffer.from('fuzz-session-secret-0123456789abcdef-0123456789', 'utf8');
  beforeAll(async () => {
    sim = await startWechatSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim?.close();
  });
  const LOGIN_RUNS = { numRuns: 120, seed: 20240601 };
  const codeish = fc.oneof(hostile, fc.record({ code: fc.oneof(fc.string({ maxLength: 200 }), fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/), hostile) }, { requiredKeys: [] }));

  it('exchangeLoginCode: any data, INVALID_INPUT (bad shape) or UNAUTHENTICATED (unknown code) out, never a session', async () => {
    const session = { appid: sim.credentials.appid, secret: sessionSecret, ttlSeconds: 600, appSecret, wxApiBaseUrl: sim.url };
    const seen = { INVALID_INPUT: 0, UNAUTHENTICATED: 0 };
    await fc.assert(fc.asyncProperty(codeish, async (data) => {
      let outcome: unknown;
      try {
        outcome = await exchangeLoginCode(session, data, () => now);
      } catch (err) {
        if (err instanceof AppError && (err.code === 'INVALID_INPUT' || err.code === 'UNAUTHENTICATED')) {
          seen[err.code] += 1;
          return;
        }
        throw new Error(`untyped failure: ${(err as Error)?.name}: ${(err as Error)?.message}`);
      }
      throw new Error(`a session for data nobody minted: ${JSON.stringify(outcome)}`);
    }), LOGIN_RUNS);
    // Both doors were tried: the shape check, and well-formed codes WeChat (the simulator) refused.
    expect(seen.INVALID_INPUT).toBeGreaterThan(0);
    expect(seen.UNAUTHENTICATED).toBeGreaterThan(0);
  });

  it('the login function (session mode), direct or HTTP event: always an {error} answer, never a throw, never a token', async () => {
    const env = { IDENTITY_MODE: 'session', WX_APPID: sim.credentials.appid, SESSION_TOKEN_SECRET: sessionSecret.toString('utf8'), WX_APP_SECRET: appSecret, WX_API_BASE_URL: sim.url };
    const written: string[] = [];
    const login = loginFunction(() => ({}), async (caller) => {
      written.push(caller.openid);
    }, { env, now: () => now });
    const asHttp = codeish.map((data) => ({ httpMethod: 'POST', headers: { 'content-type': 'application/json' }, body: json({ data }) }));
    await fc.assert(fc.asyncProperty(fc.oneof(codeish, asHttp, httpish), async (event) => {
      const answer = (await login(event)) as { error?: { code: string }; statusCode?: number; body?: string };
      const value = typeof answer?.statusCode === 'number' ? JSON.parse(answer.body as string).result : answer;
      expect(['INVALID_INPUT', 'UNAUTHENTICATED']).toContain(value?.error?.code);
      expect(JSON.stringify(value)).not.toMatch(/token|session_key/);
    }), LOGIN_RUNS);
    expect(written).toEqual([]);
  });
});
