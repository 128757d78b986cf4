import { formatChinaRfc3339 } from '../contract/time';

/** The clock is always a parameter: `now` is ms since the epoch or a Date; omitted means the real clock. */
export type Now = number | Date;

export function nowMs(now?: Now): number {
  if (now === undefined) return Date.now();
  const ms = typeof now === 'number' ? now : now.getTime();
  if (!Number.isFinite(ms)) throw new TypeError('now must be a finite ms epoch or a valid Date');
  return ms;
}

/** WeChat timestamps are whole seconds (a frequent bug is sending milliseconds). */
export function nowSeconds(now?: Now): number {
  return Math.floor(nowMs(now) / 1000);
}

/** WeChat's RFC 3339 format in China time, e.g. `2026-05-20T13:29:35+08:00` (create_time, success_time, time_expire). */
export function formatWechatTime(now?: Now): string {
  return formatChinaRfc3339(nowMs(now));
}
