import { formatPrice, formatYuan, isFen, totalFen } from '../../lib/contract/money';

describe('yuan formatting from integer fen', () => {
  it('formats whole, fractional and tiny amounts', () => {
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(1)).toBe('0.01');
    expect(formatYuan(10)).toBe('0.10');
    expect(formatYuan(99)).toBe('0.99');
    expect(formatYuan(100)).toBe('1.00');
    expect(formatYuan(1234)).toBe('12.34');
    expect(formatYuan(100000000)).toBe('1000000.00');
  });

  it('formats negative amounts with a leading minus', () => {
    expect(formatYuan(-5)).toBe('-0.05');
    expect(formatYuan(-250)).toBe('-2.50');
  });

  it('is exact where floating point is not (0.1 + 0.2, 1.005, the largest safe integer)', () => {
    expect(formatYuan(10 + 20)).toBe('0.30');
    expect(formatYuan(1005)).toBe('10.05');
    expect(formatYuan(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });

  it('rejects non-integer or unsafe amounts instead of rounding them', () => {
    expect(() => formatYuan(12.5)).toThrow(TypeError);
    expect(() => formatYuan(NaN)).toThrow(TypeError);
    expect(() => formatYuan(Number.MAX_SAFE_INTEGER + 2)).toThrow(TypeError);
    expect(() => formatYuan('100' as unknown as number)).toThrow(TypeError);
    expect(isFen(1.5)).toBe(false);
  });

  it('prefixes the yuan sign for display', () => {
    expect(formatPrice(1800)).toBe('¥18.00');
  });

  it('totals lines in fen and refuses totals beyond the safe range', () => {
    expect(totalFen([{ price: 1800, quantity: 2 }, { price: 990, quantity: 3 }])).toBe(6570);
    expect(totalFen([])).toBe(0);
    expect(() => totalFen([{ price: Number.MAX_SAFE_INTEGER, quantity: 2 }])).toThrow(RangeError);
    expect(() => totalFen([{ price: 1.1, quantity: 1 }])).toThrow(TypeError);
  });
});
