/** RFC3339 in China Standard Time, the form WeChat Pay documents for time_expire. */
export function rfc3339Cst(ms: number): string {
  const shifted = new Date(Math.floor(ms / 1000) * 1000 + 8 * 3600_000).toISOString();
  return `${shifted.slice(0, 19)}+08:00`;
}
