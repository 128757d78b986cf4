/**
 * EJSON in and out, with bson's EJSON (the same library and version the SDK serialises with).
 * Requests carry canonical EJSON strings; we decode them "relaxed" into plain JS values
 * (numbers, Date, RegExp) so mingo can query them, and encode answers back as canonical EJSON
 * so the SDK's EJSON.parse restores exact types.
 */
import { BSONRegExp, EJSON } from 'bson';
import { invalidParam } from './errors';

export type Doc = Record<string, unknown>;

/** Parse an EJSON string (or an already-parsed object) into JS values; resolves db.serverDate(). */
export function decodeEJSON(input: unknown, nowMs: number, what = 'value'): unknown {
  let parsed: unknown = input;
  if (typeof input === 'string') {
    try {
      parsed = EJSON.parse(input, { relaxed: true });
    } catch (e) {
      throw invalidParam(`${what} is not valid EJSON: ${(e as Error).message}`);
    }
  } else if (input !== null && typeof input === 'object') {
    // Tolerate plain objects (older SDKs sent some fields unstringified).
    parsed = EJSON.parse(JSON.stringify(input), { relaxed: true });
  }
  return normalise(parsed, nowMs);
}

function normalise(value: unknown, nowMs: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (value instanceof RegExp) return stripStatefulFlags(value);
  if (value instanceof BSONRegExp) return toJsRegExp(value.pattern, value.options);
  if (Array.isArray(value)) return value.map((v) => normalise(v, nowMs));
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  // db.serverDate({offset}) → the emulator's clock, like the real server does.
  if (keys.length === 1 && keys[0] === '$tcb_server_date') {
    const spec = obj.$tcb_server_date as { offset?: unknown } | null;
    const offset = typeof spec?.offset === 'number' ? spec.offset : 0;
    return new Date(nowMs + offset);
  }
  if (keys.length === 1 && keys[0] === '$regularExpression') {
    const spec = obj.$regularExpression as { pattern?: unknown; options?: unknown };
    return toJsRegExp(String(spec.pattern ?? ''), String(spec.options ?? ''));
  }
  if (isBsonValue(value)) return value; // Long, Decimal128, ObjectId…: keep as bson objects
  const out: Doc = {};
  for (const k of keys) out[k] = normalise(obj[k], nowMs);
  return out;
}

function isBsonValue(value: object): boolean {
  return typeof (value as { _bsontype?: unknown })._bsontype === 'string';
}

/** BSON options → JS flags: i, m, s, u carry over; x and l have no JS equivalent and are dropped. */
function toJsRegExp(pattern: string, options: string): RegExp {
  const flags = [...new Set(options.split(''))].filter((f) => 'imsu'.includes(f)).join('');
  try {
    return new RegExp(pattern, flags);
  } catch (e) {
    throw invalidParam(`invalid regular expression /${pattern}/: ${(e as Error).message}`);
  }
}

function stripStatefulFlags(re: RegExp): RegExp {
  // g / y make RegExp.test stateful (lastIndex), which would make matching order-dependent.
  return re.global || re.sticky ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re;
}

/** Canonical EJSON string of a value (numbers keep int/double type, dates as $date). */
export function encodeEJSON(value: unknown): string {
  return EJSON.stringify(value as Doc, { relaxed: false });
}
