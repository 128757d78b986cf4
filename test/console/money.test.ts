// The console's yuan → fen conversion: exact integer fen, no floating-point drift, clear refusals.
import { parseYuan } from '../../lib/contract/money';

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
