import { encodeCart, MAX_LINES, newClientOrderKey, parseCart } from '../../miniprogram/services/cart';

describe('cart in the query string', () => {
  it('round-trips lines, dropping empty ones', () => {
    const text = encodeCart([{ productId: 'coffee', quantity: 2 }, { productId: 'tea', quantity: 0 }, { productId: 'a:b,c', quantity: 1 }]);
    expect(parseCart(text)).toEqual([{ productId: 'coffee', quantity: 2 }, { productId: 'a:b,c', quantity: 1 }]);
  });

  it('accepts the value whether or not the runtime already URL-decoded it', () => {
    const text = encodeCart([{ productId: 'coffee', quantity: 2 }]);
    expect(parseCart(encodeURIComponent(text))).toEqual([{ productId: 'coffee', quantity: 2 }]);
  });

  it('ignores malformed parts, out-of-range quantities and duplicates', () => {
    expect(parseCart('coffee:0,tea:100,cake:x,:3,cake:2,cake:5,%E0%A4%A:1')).toEqual([{ productId: 'cake', quantity: 2 }]);
    expect(parseCart(undefined)).toEqual([]);
    expect(parseCart('%')).toEqual([]);
  });

  it('keeps at most MAX_LINES lines', () => {
    const many = Array.from({ length: MAX_LINES + 5 }, (_, i) => ({ productId: `p${i}`, quantity: 1 }));
    expect(parseCart(encodeCart(many))).toHaveLength(MAX_LINES);
  });

  it('makes a different idempotency key each time', () => {
    expect(newClientOrderKey()).not.toBe(newClientOrderKey());
  });
});
