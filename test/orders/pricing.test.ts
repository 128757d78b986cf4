import { AppError } from '../../lib/errors';
import { newOutTradeNo, outTradeNoForClientKey } from '../../lib/orders/ids';
import type { Product } from '../../lib/orders/model';
import { describeItems, priceLines } from '../../lib/orders/pricing';
import { formatWechatTime as rfc3339Cst } from '../../lib/wechatpay/time';

const products: Product[] = [
  { _id: 'tea', name: 'Tea', price: 1200, active: true },
  { _id: 'cake', name: 'Cake', price: 2650, active: true },
  { _id: 'old', name: 'Old', price: 100, active: false },
  { _id: 'free', name: 'Broken', price: 0, active: true },
];

describe('priceLines', () => {
  it('prices from the products, in integer fen', () => {
    const { items, amount } = priceLines([{ productId: 'tea', quantity: 3 }, { productId: 'cake', quantity: 1 }], products);
    expect(amount).toEqual({ total: 3 * 1200 + 2650, currency: 'CNY' });
    expect(items[0]).toEqual({ productId: 'tea', name: 'Tea', unitPrice: 1200, quantity: 3 });
  });

  it.each(['missing', 'old', 'free'])('refuses product %s', (productId) => {
    expect(() => priceLines([{ productId, quantity: 1 }], products)).toThrow(AppError);
    try {
      priceLines([{ productId, quantity: 1 }], products);
    } catch (err) {
      expect((err as AppError).code).toBe('PRODUCT_NOT_FOUND');
    }
  });

  it('refuses a total beyond the per-order limit', () => {
    const dear: Product[] = [{ _id: 'gold', name: 'Gold', price: 2_000_000, active: true }];
    expect(() => priceLines([{ productId: 'gold', quantity: 99 }], dear)).toThrow(/too large/);
  });
});

describe('describeItems', () => {
  it('names one item or the first and a count, within 127 bytes of UTF-8', () => {
    expect(describeItems([{ productId: 'a', name: 'Tea', unitPrice: 1, quantity: 2 }])).toBe('Tea x2');
    const many = [{ productId: 'a', name: 'Tea', unitPrice: 1, quantity: 1 }, { productId: 'b', name: 'Cake', unitPrice: 1, quantity: 1 }];
    expect(describeItems(many)).toBe('Tea 等2种商品');
    const long = describeItems([{ productId: 'a', name: '茶'.repeat(300), unitPrice: 1, quantity: 1 }]);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(127);
    expect(long).toBe('茶'.repeat(40) + '… x1'); // 120 + 3 + 3 bytes
    // A 60-character Chinese product name, the case that fails live when characters are counted.
    const sixty = '云南普洱熟茶饼'.repeat(9).slice(0, 60);
    const described = describeItems([{ productId: 'a', name: sixty, unitPrice: 1, quantity: 2 }, { productId: 'b', name: 'x', unitPrice: 1, quantity: 1 }]);
    expect(Buffer.byteLength(described)).toBeLessThanOrEqual(127);
    expect(described.endsWith('… 等2种商品')).toBe(true);
    expect(sixty.startsWith(described.slice(0, described.indexOf('…')))).toBe(true);
  });
});

describe('order numbers', () => {
  it('are 6–32 chars of the allowed charset and carry the China date', () => {
    const no = newOutTradeNo(Date.UTC(2026, 10, 25, 20, 0, 0));
    expect(no).toMatch(/^[0-9A-Za-z_\-|*]{6,32}$/);
    expect(no.startsWith('20261126040000')).toBe(true);
  });
  it('derive deterministically from (openid, clientOrderKey) and differ per user', () => {
    expect(outTradeNoForClientKey('o1', 'k')).toBe(outTradeNoForClientKey('o1', 'k'));
    expect(outTradeNoForClientKey('o1', 'k')).not.toBe(outTradeNoForClientKey('o2', 'k'));
    expect(outTradeNoForClientKey('o1', 'k')).toMatch(/^[0-9A-Za-z]{32}$/);
  });
});

describe('rfc3339Cst', () => {
  it('formats in +08:00 without milliseconds', () => {
    expect(rfc3339Cst(Date.UTC(2026, 4, 20, 5, 29, 35, 999))).toBe('2026-05-20T13:29:35+08:00');
  });
});
