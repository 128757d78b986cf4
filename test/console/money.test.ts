// The console's yuan → fen conversion: exact integer fen, no floating-point drift, clear refusals.
import { formatMilliYuan, parseYuan } from '../../lib/contract/money';

test('yuan text becomes exact integer fen', () => {
  expect(parseYuan('12.34')).toEqual({ fen: 1234 });
  expect(parseYuan('5')).toEqual({ fen: 500 });
  expect(parseYuan('0.5')).toEqual({ fen: 50 });
  expect(parseYuan(' ¥1.10 ')).toEqual({ fen: 110 });
  expect(parseYuan('3.')).toEqual({ fen: 300 });
  // Values where x * 100 in floating point is not an integer.
  expect(0.29 * 100).not.toBe(29);
  expect(parseYuan('0.29')).toEqual({ fen: 29 });
  expect(parseYuan('1.15')).toEqual({ fen: 115 });
  expect(parseYuan('4.35')).toEqual({ fen: 435 });
  expect(parseYuan('999999999.99')).toEqual({ fen: 99_999_999_999 });
});

test('blank means no amount; anything else that is not yuan is refused', () => {
  expect(parseYuan('')).toEqual({});
  expect(parseYuan('   ')).toEqual({});
  for (const bad of ['0', '0.00', '-1', '1.234', 'abc', '1e3', '1,5', '.5', '1 2']) {
    expect(parseYuan(bad).error).toEqual(expect.any(String));
    expect(parseYuan(bad).fen).toBeUndefined();
  }
});

test('milli-fen (the bill\'s fees and net) as yuan with five decimals, exactly', () => {
  expect(formatMilliYuan(31800)).toBe('0.31800');
  expect(formatMilliYuan(5268200)).toBe('52.68200');
  expect(formatMilliYuan(1)).toBe('0.00001');
  expect(formatMilliYuan(-5)).toBe('-0.00005');
  expect(formatMilliYuan(0)).toBe('0.00000');
  expect(formatMilliYuan(Number.MAX_SAFE_INTEGER)).toBe('90071992547.40991');
  // Where a float division gets the last digit wrong.
  expect((7865668364283065 / 100_000).toFixed(5)).toBe('78656683642.83064');
  expect(formatMilliYuan(7865668364283065)).toBe('78656683642.83065');
  expect(() => formatMilliYuan(1.5)).toThrow(TypeError);
});

test('a refusal says its kind, so each surface words it in its own language', () => {
  expect(parseYuan('1.234').problem).toBe('NOT_AN_AMOUNT');
  expect(parseYuan('abc').problem).toBe('NOT_AN_AMOUNT');
  expect(parseYuan('0.00').problem).toBe('BELOW_MINIMUM');
  expect(parseYuan('1.50').problem).toBeUndefined();
});
