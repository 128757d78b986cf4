// Prices travel as integer fen. Yuan are produced and read by string arithmetic on the integer, so
// no binary floating point ever touches an amount (0.1 + 0.2 style errors cannot appear).

/** True for a safe integer amount of fen (may be negative, e.g. an adjustment). */
export function isFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** 1234 → "12.34", 5 → "0.05", -250 → "-2.50". Throws on a non-integer, which is a bug upstream. */
export function formatYuan(fen: number): string {
  if (!isFen(fen)) throw new TypeError(`amount must be an integer number of fen, got ${String(fen)}`);
  const negative = fen < 0;
  const digits = String(Math.abs(fen)).padStart(3, '0');
  const yuan = digits.slice(0, -2);
  const cents = digits.slice(-2);
  return `${negative ? '-' : ''}${yuan}.${cents}`;
}

/**
 * Milli-fen (1/1000 fen: the bill's fees and net, lib/wechatpay/bills/amount.ts) → yuan with five
 * decimals, exactly: 31800 → "0.31800", -5 → "-0.00005". Throws on a non-integer.
 */
export function formatMilliYuan(milliFen: number): string {
  if (!isFen(milliFen)) throw new TypeError(`amount must be an integer number of milli-fen, got ${String(milliFen)}`);
  const digits = String(Math.abs(milliFen)).padStart(6, '0');
  return `${milliFen < 0 ? '-' : ''}${digits.slice(0, -5)}.${digits.slice(-5)}`;
}

/** "¥12.34" for display. */
export function formatPrice(fen: number): string {
  return `¥${formatYuan(fen)}`;
}

/** Total of unit price × quantity over lines, in fen; throws if it would leave the safe-integer range. */
export function totalFen(lines: ReadonlyArray<{ price: number; quantity: number }>): number {
  let total = 0;
  for (const line of lines) {
    if (!isFen(line.price) || !isFen(line.quantity)) throw new TypeError('price and quantity must be integers');
    total += line.price * line.quantity;
    if (!Number.isSafeInteger(total)) throw new RangeError('total is too large');
  }
  return total;
}

const YUAN = /^¥?\s*(\d{1,9})(?:\.(\d{0,2}))?$/;

/**
 * Yuan typed by a person → integer fen: "12.34" → 1234, "5" → 500, "0.5" → 50, "" → undefined (no
 * amount); anything else → an error message and its kind (`problem`, which each surface turns into its own
 * language's sentence). "0.29" is 29 fen, never 28.999999999999996.
 */
export type YuanProblem = 'NOT_AN_AMOUNT' | 'BELOW_MINIMUM';
export function parseYuan(text: string): { fen?: number; error?: string; problem?: YuanProblem } {
  const s = text.trim();
  if (s === '') return {};
  const m = YUAN.exec(s);
  if (!m) return { error: `"${text}" is not an amount in yuan (e.g. 12.34, at most 2 decimals)`, problem: 'NOT_AN_AMOUNT' };
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (fen < 1) return { error: 'the amount must be at least ¥0.01', problem: 'BELOW_MINIMUM' };
  return { fen };
}
