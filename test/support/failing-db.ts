/**
 * The real database handle (wx-server-sdk on the CloudBase emulator), except that one add() fails
 * the way an injected write fault does. A delegating wrapper, not a mock: every other call reaches
 * the emulator. Used to break a step between its two writes (a transition and its audit record).
 */
import type { Database } from '../../lib/store/db';

/** Fails the first add() to `collection` with a document whose `_id` starts with `idPrefix` (any _id when
 *  omitted); an add of several documents (one insert) fails as a whole, as one request does. */
export function failingOnce(db: Database, collection: string, idPrefix = ''): Database {
  let armed = true;
  return overridingCollection(db, collection, (real) => ({
    add: async (options: { data: Record<string, unknown> | Record<string, unknown>[] }) => {
      const docs = Array.isArray(options.data) ? options.data : [options.data];
      if (armed && docs.some((d) => String(d._id ?? '').startsWith(idPrefix))) {
        armed = false;
        throw Object.assign(new Error('[InternalError] insertDocument failed (fault injected). Please retry.'), { errCode: -502001 });
      }
      return real.add(options);
    },
  }));
}

type CollectionRef = ReturnType<Database['collection']>;

/**
 * The real handle, except that `collection`'s reference has the methods `override` returns (each may
 * call the real reference it is given); every other collection and method reaches the emulator as is.
 */
export function overridingCollection(db: Database, collection: string, override: (real: CollectionRef) => Record<string, unknown>): Database {
  return {
    command: db.command,
    collection(name: string) {
      const real = db.collection(name);
      return name === collection ? Object.assign(Object.create(real), override(real)) : real;
    },
  } as Database;
}
