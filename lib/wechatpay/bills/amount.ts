/**
 * Bill amounts are yuan text: `12.34` (2 decimals) for money, `0.01000` (5 decimals) for 手续费.
 * They become integers by string arithmetic, never floats:
 * - money → fen (1/100 yuan);
 * - fees → milli-fen (1/1000 fen = 1/100000 yuan), exactly the 5 decimals WeChat prints, so no
 *   rounding ever happens. Rule written down: a fee is stored as integer milli-fen; shown or summed
 *   into fen only by the reader, with floor toward zero documented at that place.
 */
import { billError } from './errors';

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** `text` as an integer count of 10^-decimals yuan; more decimals than allowed are refused. */
export function parseScaled(text: string, decimals: number, field: string): number {
  const m = DECIMAL.exec(text);
  if (!m || (m[3] ?? '').length > decimals) throw billError('BILL_MALFORMED', `${field} "${text}" is not an amount with at most ${decimals} decimals`);
  const digits = (m[2] + (m[3] ?? '').padEnd(decimals, '0')).replace(/^0+(?=\d)/, '');
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) throw billError('BILL_MALFORMED', `${field} "${text}" is too large`);
  return m[1] === '-' && value !== 0 ? -value : value;
}

export const yuanToFen = (text: string, field: string): number => parseScaled(text, 2, field);
export const feeToMilliFen = (text: string, field: string): number => parseScaled(text, 5, field);

/** 总交易单数 and friends: `45` or `45.0`. */
export function parseCount(text: string, field: string): number {
  const m = /^(\d+)(?:\.0+)?$/.exec(text);
  if (!m) throw billError('BILL_MALFORMED', `${field} "${text}" is not a whole count`);
  return Number(m[1]);
}

/** The inverse, for the simulator and the tests: an integer of 10^-decimals yuan as text. */
export function formatScaled(value: number, decimals: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`);
  const digits = String(Math.abs(value)).padStart(decimals + 1, '0');
  const text = `${digits.slice(0, digits.length - decimals)}.${digits.slice(digits.length - decimals)}`;
  return value < 0 ? `-${text}` : text;
}

export const fenToYuan = (fen: number): string => formatScaled(fen, 2);
export const milliFenToYuan = (milliFen: number): string => formatScaled(milliFen, 5);
