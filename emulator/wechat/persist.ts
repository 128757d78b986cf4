/**
 * The simulator's state on disk (`<dataDir>/wechat/state.json`), so a restart keeps transactions,
 * prepays, refunds, pending deliveries, faults and the clock offset, as the CloudBase emulator keeps
 * its database.
 *
 * Generic over SimState: every field that is not a function and not listed in RUNTIME_FIELDS (the
 * options a start supplies, and live machinery) is saved, Maps, Sets and KeyObjects included. A field
 * added to the state persists without touching this file; one that comes from StateOptions belongs in
 * RUNTIME_FIELDS, so a restart with new options uses them.
 *
 * Durable like an acknowledged CloudBase write: the request handler (app.ts) and every scheduled task
 * (notification attempts, refund completions) call state.persist(), which resolves once the whole
 * state is on disk (tmp file + fsync + rename + directory fsync). Saves in flight are shared (group
 * commit); a save with nothing changed writes nothing.
 */
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { resumeDelivery } from './notify';
import { createPrng } from '../shared/prng';
import { resumeRefund } from './refunds';
import type { SimState } from './state';

export const RUNTIME_FIELDS = new Set([
  'credentials', 'clock', 'timeScale', 'notifyRedirects', 'refundDelaySeconds', 'deliveryTimeoutMs',
  'inflight', 'scheduler', 'prng',
]);

const FORMAT = 1;

export class SimStateCorrupt extends Error {
  readonly code = 'SIM_STATE_CORRUPT';
}

type Encoded = unknown;

function encode(v: unknown): Encoded {
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

function decode(v: Encoded): unknown {
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

/** Whose state it is: a snapshot never loads under another merchant's keys. */
function ownerOf(state: SimState): string {
  const c = state.credentials;
  return `${c.mchid}/${c.appid}/${c.merchant.serialNo}`;
}

export function serialize(state: SimState): string {
  const fields: Record<string, Encoded> = {};
  for (const [k, v] of Object.entries(state)) {
    if (typeof v === 'function' || RUNTIME_FIELDS.has(k) || v === undefined) continue;
    fields[k] = encode(v);
  }
  return JSON.stringify({ format: FORMAT, owner: ownerOf(state), clockOffsetMs: state.clock.offsetMs, fields });
}

export const stateFile = (dataDir: string): string => path.join(dataDir, 'wechat', 'state.json');

/** Load a saved state into a fresh one and put its pending work back on the schedule. false: none saved. */
export function restore(state: SimState, file: string): boolean {
  if (!fs.existsSync(file)) return false;
  let saved: { format?: unknown; owner?: unknown; clockOffsetMs?: unknown; fields?: Record<string, Encoded> };
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new SimStateCorrupt(`${file} is not valid JSON (${(e as Error).message}); refusing to start: move it away to start the simulator empty`);
  }
  if (saved.format !== FORMAT || !saved.fields || typeof saved.fields !== 'object') {
    throw new SimStateCorrupt(`${file}: not a simulator state file of format ${FORMAT}; refusing to start: move it away to start the simulator empty`);
  }
  if (saved.owner !== ownerOf(state)) {
    throw new SimStateCorrupt(`${file} belongs to merchant ${String(saved.owner)}, but the credentials are ${ownerOf(state)}; refusing to start: move it away (or restore the matching credentials.json)`);
  }
  const target = state as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(saved.fields)) if (!RUNTIME_FIELDS.has(k)) target[k] = decode(v);
  state.clock.reset();
  if (typeof saved.clockOffsetMs === 'number' && saved.clockOffsetMs > 0) state.clock.advance(saved.clockOffsetMs);
  // The fault PRNG starts again from the saved seed (its position is not kept).
  state.prng = createPrng(state.seed);
  for (const d of state.deliveries) resumeDelivery(state, d);
  for (const r of state.refunds.values()) resumeRefund(state, r);
  return true;
}

/**
 * Writes the state atomically, sharing one write among concurrent callers. `persist` saves (a
 * no-op when nothing changed, but finding that out serialises the whole state); `durable` only
 * waits for a write in flight.
 */
export function createPersister(state: SimState, file: string): { persist: () => Promise<void>; durable: () => Promise<void> } {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let lastWritten = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  let writing: Promise<void> | undefined;
  let again = false;

  const writeOnce = async (): Promise<void> => {
    const text = serialize(state);
    if (text === lastWritten) return;
    const tmp = `${file}.tmp`;
    const handle = await fs.promises.open(tmp, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, file);
    const dir = await fs.promises.open(path.dirname(file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    lastWritten = text;
  };

  const loop = async (): Promise<void> => {
    try {
      do {
        again = false;
        await writeOnce();
      } while (again);
    } finally {
      writing = undefined;
    }
  };

  const persist = (): Promise<void> => {
    if (writing) {
      // A change made after the current write started goes out in the next one.
      again = true;
      return writing;
    }
    writing = loop();
    return writing;
  };
  return { persist, durable: () => writing ?? Promise.resolve() };
}
