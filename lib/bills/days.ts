/** China dates for bills: WeChat Pay's bill days are 00:00–24:00 China time (UTC+8, no DST). */
import { CHINA_OFFSET_MS, chinaDateOf, chinaMidnightOf } from '../contract/time';

export { chinaDateOf, chinaMidnightOf };
const DAY_MS = 24 * 3600_000;

/** How far back a bill can be asked for (WeChat Pay: the last 3 months; we take 90 days). */
export const BILL_WINDOW_DAYS = 90;
/** The timer's first attempt for yesterday: 10:30 China time (bills are ready after 10:00). */
export const TIMER_FIRST_RUN_MINUTES = 10 * 60 + 30;

export const addDays = (date: string, days: number): string => chinaDateOf(chinaMidnightOf(date) + days * DAY_MS + 1);
/** Minutes since 00:00 China time. */
export const chinaMinutesOf = (ms: number): number => Math.floor(((ms + CHINA_OFFSET_MS) % DAY_MS) / 60_000);

/** [start, end) of a China date in ms epoch. */
export function dayWindow(date: string): { start: number; end: number } {
  const start = chinaMidnightOf(date);
  return { start, end: start + DAY_MS };
}

/**
 * Why this date cannot be asked for, or null: a date, not in the future, within the last 90 days.
 * Whether its bill is ready is WeChat Pay's to say (STATEMENT_CREATING → NOT_READY), not ours.
 */
export function billDateProblem(date: unknown, now: number): string | null {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || chinaDateOf(chinaMidnightOf(date)) !== date) return 'billDate must be a date YYYY-MM-DD (China time).';
  const today = chinaDateOf(now);
  if (date > today) return `billDate ${date} is in the future (today is ${today} in China).`;
  if (chinaMidnightOf(today) - chinaMidnightOf(date) > BILL_WINDOW_DAYS * DAY_MS) return `billDate ${date} is older than ${BILL_WINDOW_DAYS} days: WeChat Pay keeps bills for the last 3 months only.`;
  return null;
}
