// Field validation with the real service's PARAM_ERROR envelope. Every rule here that the official
// docs do not state outright is listed in README.md ("Assumptions").
import { parseRfc3339 } from './clock';
import { byteLimitError, paramError } from './errors';

export type Body = Record<string, unknown>;

export function str(body: Body, path: string, opts: { required?: boolean; max?: number; maxBytes?: number; min?: number; pattern?: RegExp } = {}): string | undefined {
  const value = get(body, path);
  if (value === undefined || value === null) {
    if (opts.required) throw paramError(path, 'is required');
    return undefined;
  }
  if (typeof value !== 'string') throw paramError(path, 'must be a string');
  if (opts.required && value.length === 0) throw paramError(path, 'must not be empty');
  // The text limits WeChat Pay documents (description, attach, reason) are bytes of UTF-8: a Chinese
  // character counts 3. Other lengths (ids, urls: ASCII) are counted in characters, see README.
  if (opts.maxBytes !== undefined) {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > opts.maxBytes) throw byteLimitError(path, value, bytes, opts.maxBytes);
  }
  if (opts.max !== undefined && value.length > opts.max) throw paramError(path, `must be at most ${opts.max} characters`);
  if (opts.min !== undefined && value.length < opts.min) throw paramError(path, `must be at least ${opts.min} characters`);
  if (opts.pattern && !opts.pattern.test(value)) throw paramError(path, `has an invalid format (expected ${opts.pattern.source})`);
  return value;
}

export function int(body: Body, path: string, opts: { required?: boolean; min?: number } = {}): number | undefined {
  const value = get(body, path);
  if (value === undefined || value === null) {
    if (opts.required) throw paramError(path, 'is required');
    return undefined;
  }
  // Fen are integers on the wire: 1.5, "100" and 1e21 are all refused.
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw paramError(path, 'must be an integer (fen)');
  if (opts.min !== undefined && value < opts.min) throw paramError(path, `must be >= ${opts.min}`);
  return value;
}

export function obj(body: Body, path: string, required = false): Body | undefined {
  const value = get(body, path);
  if (value === undefined || value === null) {
    if (required) throw paramError(path, 'is required');
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw paramError(path, 'must be an object');
  return value as Body;
}

export function currency(body: Body, path: string): string {
  const value = str(body, path) ?? 'CNY';
  if (value !== 'CNY') throw paramError(path, 'only CNY is supported');
  return value;
}

/** https, a host, no query string or fragment, at most 255 characters. */
export function notifyUrl(body: Body, path: string, required: boolean): string | undefined {
  const value = str(body, path, { required, max: 255 });
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw paramError(path, 'must be an absolute URL');
  }
  if (url.protocol !== 'https:') throw paramError(path, 'must use https');
  if (value.includes('?') || value.includes('#')) throw paramError(path, 'must not carry a query string or fragment');
  return value;
}

export function rfc3339(body: Body, path: string): { text: string; ms: number } | undefined {
  const text = str(body, path);
  if (text === undefined) return undefined;
  const ms = parseRfc3339(text);
  if (ms === undefined) throw paramError(path, 'must be RFC3339 with an offset, e.g. 2026-05-20T13:29:35+08:00');
  return { text, ms };
}

/** Stable JSON (sorted keys) to compare two requests for "same parameters". */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as Body)
      .sort()
      .filter((k) => (value as Body)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Body)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

function get(body: Body, path: string): unknown {
  let cur: unknown = body;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Body)[part];
  }
  return cur;
}
