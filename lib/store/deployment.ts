/**
 * What a deployed database needs beyond the collections themselves: the indexes the timer's queries
 * rely on, and the client-SDK security rule of every collection. Read by `npm run deploy:cloud`, the
 * doctor's live check and the README; the collection list itself is the registry (COLLECTIONS), so a
 * collection added there is created and shut to the client SDK without touching the deploy.
 */
import { COLLECTIONS } from './collections';

export interface IndexSpec {
  /** Stable name: the deploy compares indexes by name. */
  name: string;
  keys: Array<{ field: string; direction: 1 | -1 }>;
  unique: boolean;
}

/** Every collection the functions use, from the registry. */
export function collectionNames(): string[] {
  return [...new Set(Object.values(COLLECTIONS) as string[])].sort();
}

const asc = (...fields: string[]): IndexSpec => ({
  name: fields.join('_'),
  keys: fields.map((field) => ({ field, direction: 1 as const })),
  unique: false,
});

/**
 * The timer's scans (lib/orders/reconcile.ts, lib/refunds/reconcile.ts): pending work filtered by
 * status/flag and ordered or bounded by a time field. Without them the real database scans the
 * whole collection on every tick.
 */
export const DATABASE_INDEXES: Readonly<Record<string, IndexSpec[]>> = {
  // paidAt / createdAt: the bill reconciliation's "our side of the day" (lib/bills/ours.ts), paged by _id.
  [COLLECTIONS.orders]: [asc('status', 'lastCheckedAt'), asc('auditPending', 'updatedAt'), asc('paidAt')],
  [COLLECTIONS.refunds]: [asc('status', 'lastCheckedAt'), asc('booked', 'updatedAt'), asc('createdAt')],
};

/** The declared indexes as field lists per collection (what the local emulator is started with). */
export function indexFields(): Record<string, string[][]> {
  return Object.fromEntries(Object.entries(DATABASE_INDEXES).map(([c, list]) => [c, list.map((i) => i.keys.map((k) => k.field))]));
}

/** A CloudBase database security rule: what the mini-program client SDK may do with a collection. */
export interface SecurityRule {
  read: boolean;
  write: boolean;
}

/** Collections the mini-program may read directly (the catalogue). Everything else is functions-only. */
const CLIENT_READABLE = new Set<string>([COLLECTIONS.products]);

/**
 * Collections default to "仅创建者可读写" in the console, which lets any mini-program user `add`
 * documents (an order, a payment event) from the client SDK: only functions may write, and only
 * the catalogue may be read.
 */
export function securityRuleFor(collection: string): SecurityRule {
  return { read: CLIENT_READABLE.has(collection), write: false };
}
