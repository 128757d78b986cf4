/** Case-insensitive header lookup over Node's IncomingHttpHeaders, plain records, or fetch Headers. */
export type HeadersInput =
  | Record<string, string | string[] | number | undefined | null>
  | { get(name: string): string | null };

/** `lower` is `name` in lower case; hot paths pass it precomputed. */
export function getHeader(headers: HeadersInput | undefined | null, name: string, lower: string = name.toLowerCase()): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | number | undefined | null>;
  // Lower case first: that is how Node's http (and most frameworks) hand headers over, so the hot
  // path is one property hit; then the name as written; then a case-insensitive scan.
  let value = record[lower];
  if ((value === undefined || value === null) && lower !== name) value = record[name];
  if (value === undefined || value === null) {
    const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
    value = key === undefined ? undefined : record[key];
  }
  if (Array.isArray(value)) value = value[0];
  return value === undefined || value === null ? undefined : String(value);
}
