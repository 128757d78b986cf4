/**
 * What the simulator's state looks like on disk (`<dataDir>/wechat/state.log`, written by store.ts):
 * the records of its journal and how they are applied on start.
 *
 * Record 1 is a snapshot of the whole state, or of its small fields followed by parts (change records
 * marked `"snapshot":true`) that put the collections' entries (what a compaction writes); every later record is one group commit's changes: the
 * records of the big collections that changed (JOURNALED, one entry per changed order, refund,
 * delivery… — never the collection), and the small fields whose value changed. Replaying them in
 * order over the snapshot gives the state that was acknowledged.
 *
 * Generic over SimState: every field that is not a function and not listed in RUNTIME_FIELDS (the
 * options a start supplies, and live machinery) is saved, Maps, Sets and KeyObjects included. A small
 * field added to the state persists without touching this file (store.ts compares its encoding at
 * each commit). A field that grows with the orders belongs in JOURNALED, and whatever changes one of
 * its entries calls state.changed(field, key) (test/simulator/journal.test.ts fails when one does not).
 */
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import path from 'node:path';
import { createPrng } from '../shared/prng';
import type { JournaledField, SimState } from './state';
import type { Delivery } from './types';

export const RUNTIME_FIELDS = new Set([
  'credentials', 'clock', 'timeScale', 'notifyRedirects', 'refundDelaySeconds', 'deliveryTimeoutMs',
  'inflight', 'scheduler', 'prng',
]);

/** The collections that grow with the orders: journaled per entry. `list`: an array keyed by `id`. */
export const JOURNALED: Record<JournaledField, 'map' | 'list'> = {
  orders: 'map', transactions: 'map', prepays: 'map', refunds: 'map', loginCodes: 'map', deliveries: 'list',
};

/** Format of the records in state.log. 1 was the whole-state state.json (still read, once, on upgrade). */
export const FORMAT = 2;
const LEGACY_FORMAT = 1;
/** The clock offset travels with the small fields under this name (it lives on the clock, not the state). */
export const CLOCK_FIELD = '$clockOffsetMs';

export class SimStateCorrupt extends Error {
  readonly code = 'SIM_STATE_CORRUPT';
}

export const stateLog = (dataDir: string): string => path.join(dataDir, 'wechat', 'state.log');
/** The format-1 file: read when there is no state.log yet, then replaced by it. */
export const legacyStateFile = (dataDir: string): string => path.join(dataDir, 'wechat', 'state.json');

type Encoded = unknown;

export function encode(v: unknown): Encoded {
  if (v instanceof Map) return { $map: [...v].map(([k, x]) => [encode(k), encode(x)]) };
  if (v instanceof Set) return { $set: [...v].map(encode) };
  if (v instanceof KeyObject) {
    const pem = v.type === 'private' ? v.export({ type: 'pkcs8', format: 'pem' }) : v.export({ type: 'spki', format: 'pem' });
    return { $key: v.type, pem: String(pem) };
  }
  if (Array.isArray(v)) return v.map(encode);
  if (v && typeof v === 'object') {
    const out: Record<string, Encoded> = {};
    for (const [k, x] of Object.entries(v)) if (typeof x !== 'function' && x !== undefined) out[k] = encode(x);
    return out;
  }
  return v;
}

export function decode(v: Encoded): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.$map)) return new Map((o.$map as [Encoded, Encoded][]).map(([k, x]) => [decode(k), decode(x)]));
    if (Array.isArray(o.$set)) return new Set((o.$set as Encoded[]).map(decode));
    if (typeof o.$key === 'string' && typeof o.pem === 'string') return o.$key === 'private' ? createPrivateKey(o.pem) : createPublicKey(o.pem);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}

/** Whose state it is: a file never loads under another merchant's keys. */
export function ownerOf(state: SimState): string {
  const c = state.credentials;
  return `${c.mchid}/${c.appid}/${c.merchant.serialNo}`;
}

const persisted = (state: SimState): [string, unknown][] =>
  Object.entries(state).filter(([k, v]) => typeof v !== 'function' && v !== undefined && !RUNTIME_FIELDS.has(k));

/** The small fields (everything saved that is not JOURNALED) and the clock offset, each as its JSON text. */
export function smallFieldTexts(state: SimState): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of persisted(state)) if (!(k in JOURNALED)) out.set(k, JSON.stringify(encode(v)));
  out.set(CLOCK_FIELD, String(state.clock.offsetMs));
  return out;
}

/** Record 1: the whole state. */
export function snapshotRecord(state: SimState): string {
  const fields: Record<string, Encoded> = {};
  for (const [k, v] of persisted(state)) fields[k] = encode(v);
  return JSON.stringify({ format: FORMAT, kind: 'snapshot', owner: ownerOf(state), clockOffsetMs: state.clock.offsetMs, fields });
}

/** Entries per snapshot part: small records keep each encoding step of a compaction short. */
const PART_ENTRIES = 200;

/**
 * The whole state as records, for a compaction beside the writes (DurableLog.compact): a header
 * (record 1: a snapshot of the small fields, encoded now, and the collections empty) and then parts
 * (change records marked `snapshot`) holding the collections' entries, encoded lazily, slice by slice.
 * The parts read the collections as they were at this call (a reset replaces them; the old ones are
 * not changed after it) but their entries live: an entry changed meanwhile may be taken in its newer
 * version, which is sound because each change is also a change record written after this call, and
 * those replay after the parts. `small` is what the header holds: the baseline for the next commit.
 */
export function snapshotRecords(state: SimState): { small: Map<string, string>; records: Iterable<string> } {
  const small = smallFieldTexts(state);
  const fields = persisted(state).map(([k, v]) => {
    const kind = JOURNALED[k as JournaledField] as 'map' | 'list' | undefined;
    const text = kind === 'map' ? '{"$map":[]}' : kind === 'list' ? '[]' : small.get(k)!;
    return `${JSON.stringify(k)}:${text}`;
  });
  const header = `{"format":${FORMAT},"kind":"snapshot","owner":${JSON.stringify(ownerOf(state))},"clockOffsetMs":${state.clock.offsetMs},"fields":{${fields.join(',')}}}`;
  const collections = (Object.keys(JOURNALED) as JournaledField[]).map((f) => [f, state[f]] as const);
  function* records(): Generator<string> {
    yield header;
    let batch: [JournaledField, string, unknown][] = [];
    const part = (): string => {
      const text = changeRecord(batch, [], true);
      batch = [];
      return text;
    };
    for (const [field, entries] of collections) {
      if (entries instanceof Map) {
        for (const [key, value] of entries as Map<string, unknown>) if (batch.push([field, key, value]) === PART_ENTRIES) yield part();
      } else {
        const list = entries as Delivery[];
        for (let i = 0; i < list.length; i++) if (batch.push([field, list[i].id, list[i]]) === PART_ENTRIES) yield part();
      }
    }
    if (batch.length) yield part();
  }
  return { small, records: records() };
}

/** A later record: the changed entries (`del` for one that is gone) and the small fields that changed (JSON texts). */
export function changeRecord(entries: [JournaledField, string, unknown][], small: [string, string][], snapshotPart = false): string {
  const put = entries.filter(([, , v]) => v !== undefined).map(([f, k, v]) => [f, k, encode(v)]);
  const del = entries.filter(([, , v]) => v === undefined).map(([f, k]) => [f, k]);
  const set = small.map(([k, text]) => `${JSON.stringify(k)}:${text}`).join(',');
  return `{"format":${FORMAT},"kind":"change",${snapshotPart ? '"snapshot":true,' : ''}"put":${JSON.stringify(put)},"del":${JSON.stringify(del)},"set":{${set}}}`;
}

function parse(file: string, text: string, at: number): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new SimStateCorrupt(`${file}: record ${at + 1} is not a JSON object; refusing to start: move it away to start the simulator empty`);
}

function applyFields(state: SimState, fields: Record<string, Encoded>): void {
  const target = state as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(fields)) {
    if (k === CLOCK_FIELD) setClock(state, v);
    else if (!RUNTIME_FIELDS.has(k)) target[k] = decode(v);
  }
}

function setClock(state: SimState, offset: unknown): void {
  state.clock.reset();
  if (typeof offset === 'number' && offset > 0) state.clock.advance(offset);
}

/** The snapshot (record 1, or a format-1 state.json): its format and owner checked, then loaded. */
export function applySnapshot(state: SimState, file: string, text: string, format = FORMAT): void {
  const saved = parse(file, text, 0);
  if (saved.format !== format || (format === FORMAT && saved.kind !== 'snapshot') || !saved.fields || typeof saved.fields !== 'object') {
    throw new SimStateCorrupt(`${file}: not a simulator state file of format ${format}; refusing to start: move it away to start the simulator empty`);
  }
  if (saved.owner !== ownerOf(state)) {
    throw new SimStateCorrupt(`${file} belongs to merchant ${String(saved.owner)}, but the credentials are ${ownerOf(state)}; refusing to start: move it away (or restore the matching credentials.json)`);
  }
  applyFields(state, saved.fields as Record<string, Encoded>);
  setClock(state, saved.clockOffsetMs);
}

export const applyLegacySnapshot = (state: SimState, file: string, text: string): void => applySnapshot(state, file, text, LEGACY_FORMAT);

/** Records 2…: each change record over the state so far. Returns how many leading ones are snapshot parts. */
export function applyChanges(state: SimState, file: string, records: string[]): number {
  let parts = 0;
  const listIndex = new Map<string, number>();
  (state.deliveries as Delivery[]).forEach((d, i) => listIndex.set(d.id, i));
  records.forEach((text, i) => {
    const r = parse(file, text, i + 1);
    if (r.format !== FORMAT || r.kind !== 'change' || !Array.isArray(r.put) || !Array.isArray(r.del) || !r.set || typeof r.set !== 'object') {
      throw new SimStateCorrupt(`${file}: record ${i + 2} is not a change record of format ${FORMAT}; refusing to start: move it away to start the simulator empty`);
    }
    for (const [field, key, value] of r.put as [JournaledField, string, Encoded][]) putEntry(state, file, field, key, decode(value), listIndex);
    for (const [field, key] of r.del as [JournaledField, string][]) deleteEntry(state, file, field, key, listIndex);
    applyFields(state, r.set as Record<string, Encoded>);
    if (r.snapshot === true && parts === i) parts += 1;
  });
  return parts;
}

function putEntry(state: SimState, file: string, field: JournaledField, key: string, value: unknown, listIndex: Map<string, number>): void {
  const kind = JOURNALED[field];
  if (kind === 'map') return void (state[field] as Map<string, unknown>).set(key, value);
  if (kind !== 'list') throw new SimStateCorrupt(`${file}: a change to an unknown collection "${String(field)}"; refusing to start: move it away to start the simulator empty`);
  const list = state[field] as unknown[];
  const at = listIndex.get(key);
  if (at === undefined) listIndex.set(key, list.push(value) - 1);
  else list[at] = value;
}

function deleteEntry(state: SimState, file: string, field: JournaledField, key: string, listIndex: Map<string, number>): void {
  const kind = JOURNALED[field];
  if (kind === 'map') return void (state[field] as Map<string, unknown>).delete(key);
  if (kind !== 'list') throw new SimStateCorrupt(`${file}: a change to an unknown collection "${String(field)}"; refusing to start: move it away to start the simulator empty`);
  const list = state[field] as Delivery[];
  const at = listIndex.get(key);
  if (at === undefined) return;
  list.splice(at, 1);
  listIndex.clear();
  list.forEach((d, i) => listIndex.set(d.id, i));
}

/** After loading: the fault PRNG starts again from the saved seed (its position is not kept). */
export function afterLoad(state: SimState): void {
  state.prng = createPrng(state.seed);
}
