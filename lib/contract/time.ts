/**
 * China Standard Time, written once: UTC+8 all year (no daylight saving). WeChat Pay's timestamps,
 * its bill days, the platform's upload_time and every time a customer or merchant reads are China
 * time, wherever the server or the phone runs. Pure (no Node API): the mini-program and the console
 * take it too.
 */
export const CHINA_OFFSET_MS = 8 * 3600_000;

/** The instant shifted so that its UTC fields read China's wall clock. */
export const chinaWallClock = (ms: number): Date => new Date(ms + CHINA_OFFSET_MS);

/** `YYYY-MM-DD` of an instant in China. */
export const chinaDateOf = (ms: number): string => chinaWallClock(ms).toISOString().slice(0, 10);

/** ms epoch of 00:00 China time on a `YYYY-MM-DD`. */
export const chinaMidnightOf = (date: string): number => Date.parse(`${date}T00:00:00+08:00`);

/** RFC 3339 in China time, `2026-05-20T13:29:35+08:00`; with milliseconds `…35.120+08:00` when asked. */
export function formatChinaRfc3339(ms: number, options: { milliseconds?: boolean } = {}): string {
  return `${chinaWallClock(ms).toISOString().slice(0, options.milliseconds ? 23 : 19)}+08:00`;
}

/** `YYYY-MM-DD HH:mm:ss` in China time (a bill's 交易时间). */
export const formatChinaDateTime = (ms: number): string => chinaWallClock(ms).toISOString().slice(0, 19).replace('T', ' ');
