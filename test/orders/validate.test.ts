import { AppError } from '../../lib/errors';
import { parseCreateOrderRequest, parseQueryOrderRequest } from '../../lib/orders/validate';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : 'NOT_APP_ERROR';
  }
  return undefined;
}

describe('parseCreateOrderRequest', () => {
  it('accepts a new order and keeps only productId and quantity (client prices are dropped)', () => {
    const parsed = parseCreateOrderRequest({ items: [{ productId: 'tea', quantity: 2, price: 1 }], total: 1, openid: 'x' });
    expect(parsed).toEqual({ kind: 'new', items: [{ productId: 'tea', quantity: 2 }] });
  });

  it('accepts a clientOrderKey and a pay-again request', () => {
    expect(parseCreateOrderRequest({ items: [{ productId: 'tea', quantity: 1 }], clientOrderKey: 'k-1' })).toMatchObject({ clientOrderKey: 'k-1' });
    expect(parseCreateOrderRequest({ outTradeNo: '20261125abcdef' })).toEqual({ kind: 'payAgain', outTradeNo: '20261125abcdef' });
  });

  it.each<[unknown, string]>([
    ['not an object', 'items'],
    [null, 'null'],
    [{}, 'no items'],
    [{ items: [] }, 'empty'],
    [{ items: Array.from({ length: 51 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) }, '51 lines'],
    [{ items: [{ productId: 'tea', quantity: 0 }] }, 'zero'],
    [{ items: [{ productId: 'tea', quantity: -1 }] }, 'negative'],
    [{ items: [{ productId: 'tea', quantity: 1.5 }] }, 'fractional'],
    [{ items: [{ productId: 'tea', quantity: 100 }] }, 'too many'],
    [{ items: [{ productId: 'tea', quantity: '2' }] }, 'string quantity'],
    [{ items: [{ productId: { $ne: null }, quantity: 1 }] }, 'operator object as id'],
    [{ items: [{ productId: 'a"; drop', quantity: 1 }] }, 'injection-looking id'],
    [{ items: [{ productId: 'tea', quantity: 1 }, { productId: 'tea', quantity: 1 }] }, 'duplicate line'],
    [{ items: [{ productId: 'tea', quantity: 1 }], clientOrderKey: 'x'.repeat(65) }, 'long key'],
    [{ items: [{ productId: 'tea', quantity: 1 }], outTradeNo: '20261125abcdef' }, 'both forms'],
    [{ outTradeNo: 'abc' }, 'short outTradeNo'],
    [{ outTradeNo: 'abc def ghi' }, 'bad charset'],
  ])('rejects %j (%s) with INVALID_INPUT', (input) => {
    expect(codeOf(() => parseCreateOrderRequest(input))).toBe('INVALID_INPUT');
  });
});

describe('parseQueryOrderRequest', () => {
  it('returns the order number', () => {
    expect(parseQueryOrderRequest({ outTradeNo: 'K0123456789' })).toEqual({ outTradeNo: 'K0123456789' });
  });
  it('rejects a missing or malformed order number', () => {
    expect(codeOf(() => parseQueryOrderRequest({}))).toBe('INVALID_INPUT');
    expect(codeOf(() => parseQueryOrderRequest({ outTradeNo: { $gt: '' } }))).toBe('INVALID_INPUT');
  });
});
