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
      parsed = parseRelaxed(input);
    } catch (e) {
      throw invalidParam(`${what} is not valid EJSON: ${(e as Error).message}`);
    }
  } else if (input !== null && typeof input === 'object') {
    // Tolerate plain objects (older SDKs sent some fields unstringified).
    parsed = parseRelaxed(JSON.stringify(input));
  }
  return normalise(parsed, nowMs);
}

/**
 * What bson's `EJSON.parse(text, { relaxed: true })` returns, about 3× faster on the SDK's requests.
 * bson revives every value through a JSON.parse reviver (a call per value, and JSON.parse's slow
 * path) and turns each `{$date: {$numberLong}}` into a Long and back. Here JSON.parse runs without a
 * reviver; objects without `$` keys stay as they are (bson returns them unchanged too); the wrappers
 * the SDK sends all the time (`$numberInt`, `$numberDouble`, `$date` with an ISO string or a ≤ 15-digit
 * `$numberLong`) are revived the way bson 4's codecs do it in relaxed mode; objects whose `$` keys mean
 * nothing to bson (operators such as `$set`, `$push`, `$in`) stay objects, as bson leaves them; anything
 * else (another wrapper, a field name with a NUL byte) and the whole text goes to bson itself, so every other case —
 * and every error message — is bson's. test/cloudbase/ejson-parse.test.ts compares both.
 */
export function parseRelaxed(text: string): unknown {
  const parsed: unknown = JSON.parse(text);
  try {
    return revive(parsed);
  } catch (e) {
    if (e !== NOT_MINE) throw e;
    return EJSON.parse(text, { relaxed: true });
  }
}

const NOT_MINE = Symbol('left to bson');
/**
 * Every `$` key bson 4's EJSON reader acts on (deserializeValue: its codec table, `$undefined`,
 * `$date`, `$code`/`$scope`, DBRef's `$ref`/`$id`/`$db`, `$dbPointer`). An object with none of them
 * comes back from bson as it went in (its values revived).
 */
const BSON_KEYS = new Set([
  '$oid', '$binary', '$uuid', '$symbol', '$numberInt', '$numberDecimal', '$numberDouble', '$numberLong', '$minKey', '$maxKey',
  '$regex', '$regularExpression', '$timestamp', '$undefined', '$date', '$code', '$scope', '$ref', '$id', '$db', '$dbPointer',
]);
const SAFE_LONG = /^(0|-?[1-9][0-9]{0,14})$/;

function revive(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const r = revive(v);
      if (r !== v) value[i] = r;
    }
    return value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  // A `$` key bson gives a meaning to makes this a wrapper; other `$` keys (the update and query
  // operators: `$set`, `$push`, `$each`, `$in`…) bson leaves alone, and so do we: a plain object.
  for (const k of keys) if (k.charCodeAt(0) === 36 /* $ */ && BSON_KEYS.has(k)) return reviveWrapper(obj, keys);
  for (const k of keys) {
    if (k.includes('\x00')) throw NOT_MINE;
    const v = obj[k];
    const r = revive(v);
    // defineProperty, not assignment: a key "__proto__" from JSON.parse is an own property.
    if (r !== v) Object.defineProperty(obj, k, { value: r, writable: true, enumerable: true, configurable: true });
  }
  return obj;
}

function reviveWrapper(obj: Record<string, unknown>, keys: string[]): unknown {
  if (keys.length !== 1) throw NOT_MINE;
  const k = keys[0];
  const v = obj[k];
  // As Int32/Double.fromExtendedJSON and deserializeValue's $date branch (bson 4) do in relaxed mode.
  if (k === '$numberInt' && typeof v === 'string') return parseInt(v, 10);
  if (k === '$numberDouble' && typeof v === 'string') return parseFloat(v);
  if (k === '$date') {
    if (typeof v === 'string') return new Date(Date.parse(v));
    const long = v !== null && typeof v === 'object' && Object.keys(v).length === 1 ? (v as { $numberLong?: unknown }).$numberLong : undefined;
    // Long.fromString(s).toNumber() is Number(s) for a plain decimal of ≤ 15 digits (exact, no int64 wrap).
    if (typeof long === 'string' && SAFE_LONG.test(long)) return new Date(Number(long));
  }
  throw NOT_MINE;
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
