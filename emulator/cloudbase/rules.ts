/**
 * The refusals the real (MongoDB-backed) service makes and mingo does not: mingo silently skips an
 * `$inc` on a string or a `$push` onto a non-array, and quietly matches nothing for `$mod: [0, 1]`.
 * Messages are MongoDB's (what a MongoDB-backed service answers); the wire code is
 * DATABASE_REQUEST_FAILED (errCode -502001) — *the real code for these is unconfirmed*.
 */
import { calculateObjectSize } from 'bson';
import type { Doc } from './ejson';
import { TCB_CODES, TcbError, invalidParam } from './errors';
import { LIMITS, describeLimit } from './limits';

const refuse = (message: string): TcbError => new TcbError(TCB_CODES.DATABASE_REQUEST_FAILED, message);

const GEO_QUERY = new Set(['$geoNear', '$geoWithin', '$geoIntersects', '$near', '$nearSphere']);
const GEO_NAMES: Record<string, string> = { $near: 'geoNear', $nearSphere: 'geoNear', $geoNear: 'geoNear', $geoWithin: 'geoWithin', $geoIntersects: 'geoIntersects' };

export function notEmulated(api: string): TcbError {
  return new TcbError(TCB_CODES.DATABASE_REQUEST_FAILED, `not emulated: ${api} (see emulator/cloudbase/README.md)`);
}

/** MongoDB's collection-name rules (CloudBase's own are unconfirmed): non-empty, no `$` or NUL, not `system.*`, ≤ 120 bytes. */
export function checkCollectionName(name: string): void {
  const why = name.length === 0 ? 'is empty' : name.includes('$') ? "contains '$'" : name.includes('\0') ? 'contains a NUL character'
    : name.startsWith('system.') ? "starts with the reserved prefix 'system.'" : Buffer.byteLength(name) > 120 ? 'is longer than 120 bytes' : '';
  if (why) throw invalidParam(`Invalid collection name ${JSON.stringify(name)}: it ${why}`);
}

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : v instanceof Date ? 'date' : v instanceof RegExp ? 'regex' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'double') : typeof v);

/** Field names a stored document may not have (MongoDB < 5 rules): empty, starting with `$`, containing `.` or NUL. */
function checkFieldNames(value: unknown, at: string): void {
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof RegExp) return;
  if ((value as { _bsontype?: unknown })._bsontype) return;
  if (Array.isArray(value)) return value.forEach((v, i) => checkFieldNames(v, `${at}.${i}`));
  for (const [k, v] of Object.entries(value)) {
    const where = at ? `${at}.${k}` : k;
    if (k === '' || k.startsWith('$') || k.includes('.') || k.includes('\0')) {
      throw refuse(`The field name ${JSON.stringify(k)} (at ${where}) is not valid for storage: field names must not be empty, start with '$' or contain '.'`);
    }
    checkFieldNames(v, where);
  }
}

/** A document about to be stored: field names, then its BSON size against the 16 MB limit. */
export function checkStoredDocument(doc: Doc): void {
  checkFieldNames(doc, '');
  const size = calculateObjectSize(doc);
  if (size > LIMITS.document.value) {
    throw refuse(`document ${JSON.stringify(doc._id)} would be ${size} bytes: the document size limit is ${describeLimit(LIMITS.document)} (${LIMITS.document.value} bytes); store large content in cloud storage and keep its fileID`);
  }
}

const isNum = (v: unknown): boolean => typeof v === 'number' || (typeof v === 'object' && v !== null && ['Long', 'Double', 'Int32', 'Decimal128'].includes(String((v as { _bsontype?: unknown })._bsontype)));

/** The current value at a dotted path; `positional` when the path goes through `$`, `$[]` or `$[id]` (not checked here). */
function at(doc: Doc, path: string): { found: boolean; value: unknown; positional: boolean } {
  let cur: unknown = doc;
  for (const seg of path.split('.')) {
    if (seg.startsWith('$')) return { found: false, value: undefined, positional: true };
    if (cur === null || typeof cur !== 'object') return { found: false, value: undefined, positional: false };
    if (!(seg in (cur as object))) return { found: false, value: undefined, positional: false };
    cur = (cur as Record<string, unknown>)[seg];
  }
  return { found: true, value: cur, positional: false };
}

/** Setting `a.b` where `a` is a scalar: MongoDB refuses ("Cannot create field"), mingo does nothing. */
function parentIsScalar(doc: Doc, path: string): string | undefined {
  const segs = path.split('.');
  let cur: unknown = doc;
  for (let i = 0; i < segs.length - 1; i++) {
    if (segs[i].startsWith('$') || cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[segs[i]];
    if (cur === undefined) return undefined;
    const next = segs[i + 1];
    if (cur === null || typeof cur !== 'object' || (Array.isArray(cur) && !/^\d+$/.test(next) && !next.startsWith('$'))) return segs.slice(0, i + 1).join('.');
  }
  return undefined;
}

const ARRAY_OPS: Record<string, string> = { $push: 'push', $addToSet: 'addToSet', $pop: 'pop', $pull: 'pull', $pullAll: 'pullAll' };

/** Refuse what MongoDB refuses for `modifier` applied to `doc` (type mismatches, bad operands). */
export function checkUpdate(doc: Doc, modifier: Doc): void {
  const id = JSON.stringify(doc._id);
  for (const [op, fields] of Object.entries(modifier)) {
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw refuse(`Modifiers operate on fields but we found type ${typeName(fields)} instead: ${op}`);
    for (const [path, operand] of Object.entries(fields as Doc)) {
      const cur = at(doc, path);
      if (op !== '$unset' && op !== '$rename') {
        const scalar = parentIsScalar(doc, path);
        if (scalar) throw refuse(`Cannot create field '${path.slice(scalar.length + 1).split('.')[0]}' in element {${scalar}: ${JSON.stringify(at(doc, scalar).value)}}`);
      }
      if (op === '$inc' || op === '$mul') {
        const verb = op === '$inc' ? 'increment' : 'multiply';
        if (!isNum(operand)) throw refuse(`Cannot ${verb} with non-numeric argument: {${path}: ${JSON.stringify(operand)}}`);
        if (cur.found && !isNum(cur.value)) throw refuse(`Cannot apply ${op} to a value of non-numeric type. {_id: ${id}} has the field '${path}' of non-numeric type ${typeName(cur.value)}`);
      } else if (op in ARRAY_OPS) {
        if (op === '$pop' && operand !== 1 && operand !== -1) throw refuse(`$pop expects 1 or -1, found: ${JSON.stringify(operand)}`);
        if (op === '$pullAll' && !Array.isArray(operand)) throw refuse(`$pullAll requires an array argument but was given a ${typeName(operand)}`);
        if (cur.found && !Array.isArray(cur.value)) {
          throw refuse(op === '$push' || op === '$addToSet'
            ? `The field '${path}' must be an array but is of type ${typeName(cur.value)} in document {_id: ${id}}`
            : `Cannot apply ${op} to a non-array value`);
        }
      } else if (op === '$rename') {
        if (typeof operand !== 'string' || operand === '') throw refuse(`The 'to' field for $rename must be a string: ${path}: ${JSON.stringify(operand)}`);
        if (operand === path) throw refuse(`The source and target field for $rename must differ: ${path}: ${JSON.stringify(operand)}`);
      }
    }
  }
}

/** Walk a query and refuse malformed operands (MongoDB's parse errors) and geo operators (not emulated). */
export function checkQuery(query: unknown): void {
  if (query === null || typeof query !== 'object' || query instanceof Date || query instanceof RegExp) return;
  if (Array.isArray(query)) return query.forEach(checkQuery);
  for (const [k, v] of Object.entries(query as Doc)) {
    if (GEO_QUERY.has(k)) throw notEmulated(`db.command.${GEO_NAMES[k]}`);
    if (k === '$and' || k === '$or' || k === '$nor') {
      if (!Array.isArray(v) || v.length === 0) throw refuse(`${k} must be a nonempty array`);
    } else if (k === '$mod') {
      if (!Array.isArray(v) || v.length < 2) throw refuse('malformed mod, not enough elements');
      if (v.length > 2) throw refuse('malformed mod, too many elements');
      if (!isNum(v[0]) || !isNum(v[1])) throw refuse('malformed mod, divisor and remainder must be numbers');
      if (Number(v[0]) === 0) throw refuse('divisor cannot be 0');
    } else if (k === '$size') {
      if (typeof v !== 'number') throw refuse(`Failed to parse $size. Expected a number in: $size: ${JSON.stringify(v)}`);
      if (!Number.isInteger(v) || v < 0) throw refuse(`Failed to parse $size. Expected a non-negative integer in: $size: ${JSON.stringify(v)}`);
    } else if (k === '$in' || k === '$nin' || k === '$all') {
      if (!Array.isArray(v)) throw refuse(`${k} needs an array`);
    } else if (k === '$elemMatch') {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw refuse('$elemMatch needs an Object');
    } else if (k === '$exists' || k === '$type' || k === '$regex' || k === '$options') continue;
    checkQuery(v);
  }
}
