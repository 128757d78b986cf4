// Yuan typed by a developer → integer fen, by string arithmetic: "0.29" must be 29 fen, never
// 28.999999999999996 (0.29 * 100 in binary floating point). The display side reuses the
// mini-program's formatYuan, which is string arithmetic too.
export { formatYuan } from '../../../miniprogram/services/money';

const YUAN = /^¥?\s*(\d{1,9})(?:\.(\d{0,2}))?$/;

/** "12.34" → 1234, "5" → 500, "0.5" → 50, "" → undefined (no amount); anything else → an error message. */
export function parseYuan(text: string): { fen?: number; error?: string } {
  const s = text.trim();
  if (s === '') return {};
  const m = YUAN.exec(s);
  if (!m) return { error: `"${text}" is not an amount in yuan (e.g. 12.34, at most 2 decimals)` };
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (fen < 1) return { error: 'the amount must be at least ¥0.01' };
  return { fen };
}
