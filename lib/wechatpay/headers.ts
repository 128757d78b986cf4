/** Case-insensitive header lookup over Node's IncomingHttpHeaders, plain records, or fetch Headers. */
export type HeadersInput =
  | Record<string, string | string[] | number | undefined | null>
  | { get(name: string): string | null };

export function getHeader(headers: HeadersInput | undefined | null, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | number | undefined | null>;
  let value = record[name] ?? record[name.toLowerCase()];
  if (value === undefined || value === null) {
    const lower = name.toLowerCase();
    const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
    value = key === undefined ? undefined : record[key];
  }
  if (Array.isArray(value)) value = value[0];
  return value === undefined || value === null ? undefined : String(value);
}
