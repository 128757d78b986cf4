/**
 * Property-based fuzzing (fast-check, bounded runs) of the pure front doors: the notification parser
 * and every input validator. Whatever comes in, the only possible failure is the typed error with a
 * documented code — never a TypeError, a RangeError or a crash. (Pure functions: nothing to write.)
 */
import { generateKeyPairSync } from 'crypto';
import fc from 'fast-check';
import { AppError } from '../../lib/errors';
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
