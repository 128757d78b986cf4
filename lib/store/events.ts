/**
 * payment_events: the audit log of every notification received and every outcome applied.
 * Each record has a deterministic _id, so a retried write or a duplicate notification is a
 * duplicate-key no-op instead of a second record.
 */
import { isDuplicateKeyError, type Database } from './db';
import { COLLECTIONS } from './collections';

export interface PaymentEvent {
  _id: string;
  kind: 'notification' | 'transition' | 'anomaly' | 'refund';
  source: string;
  outTradeNo?: string;
  eventType?: string;
  tradeState?: string;
  transactionId?: string;
  amountTotal?: number;
  detail?: string;
  at: Date;
}

/** Returns false when the record already existed. */
export async function recordEvent(db: Database, event: PaymentEvent): Promise<boolean> {
  try {
    await db.collection(COLLECTIONS.paymentEvents).add({ data: event as unknown as Record<string, unknown> });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/**
 * Several new records in one insert (one round trip). If any already exists, each is written on its
 * own instead — each a no-op when present — so the outcome is the same whether the service inserted
 * none, some or all of the batch before refusing it.
 */
export async function recordEvents(db: Database, events: PaymentEvent[]): Promise<void> {
  if (events.length === 1) {
    await recordEvent(db, events[0]);
    return;
  }
  try {
    await db.collection(COLLECTIONS.paymentEvents).add({ data: events as unknown as Record<string, unknown>[] });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    for (const e of events) await recordEvent(db, e);
  }
}
