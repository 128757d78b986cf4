/**
 * The narrow slice of wx-server-sdk's database API that the order logic uses, typed so that
 * strict TypeScript helps us. `cloud.database()` satisfies it at runtime (see asDatabase).
 */
export type Doc = Record<string, unknown>;

export interface QueryResult<T = Doc> {
  data: T[];
}
export interface WriteResult {
  stats: { updated?: number; removed?: number };
}

export interface Query {
  where(condition: Doc): Query;
  orderBy(field: string, direction: 'asc' | 'desc'): Query;
  limit(n: number): Query;
  skip(n: number): Query;
  field(projection: Doc): Query;
  get(): Promise<QueryResult>;
  update(options: { data: Doc }): Promise<WriteResult>;
  count(): Promise<{ total: number }>;
}

export interface DocumentRef {
  get(): Promise<{ data: Doc }>;
  set(options: { data: Doc }): Promise<unknown>;
  update(options: { data: Doc }): Promise<WriteResult>;
  remove(): Promise<WriteResult>;
}

export interface Collection extends Query {
  doc(id: string): DocumentRef;
  /** An array inserts several documents in one request. */
  add(options: { data: Doc | Doc[] }): Promise<{ _id?: string }>;
}

export interface Command {
  in(values: unknown[]): unknown;
  /** Replace the field's whole value (the SDK otherwise flattens an object into dotted $set paths,
   *  which MongoDB refuses under a null parent). */
  set(value: unknown): unknown;
  /** Also matches documents without the field (MongoDB $nin). */
  nin(values: unknown[]): unknown;
  lt(value: unknown): unknown;
  lte(value: unknown): unknown;
  gt(value: unknown): unknown;
  gte(value: unknown): unknown;
  neq(value: unknown): unknown;
  inc(value: number): unknown;
  push(value: unknown): unknown;
  exists(value: boolean): unknown;
  or(...conditions: Doc[]): unknown;
  and(...conditions: Doc[]): unknown;
}

export interface Database {
  command: Command;
  collection(name: string): Collection;
}

export function asDatabase(db: unknown): Database {
  return db as Database;
}

/** wx-server-sdk reports "document not found" on doc().get() by throwing; we want null. */
export async function getDocOrNull(db: Database, collection: string, id: string): Promise<Doc | null> {
  const { data } = await db.collection(collection).where({ _id: id }).limit(1).get();
  return data[0] ?? null;
}

/**
 * Duplicate-key errors (insert of an existing _id) are expected in idempotent paths. Only the
 * message tells them apart: errCode -502001 (DATABASE_REQUEST_FAILED) is also what any transient
 * write failure carries, and treating that as "already there" loses the write.
 */
export function isDuplicateKeyError(err: unknown): boolean {
  const text = `${(err as { code?: unknown })?.code ?? ''} ${(err as { errMsg?: unknown })?.errMsg ?? ''} ${(err as Error)?.message ?? ''}`;
  return /duplicate|E11000|DATABASE_DUPLICATE/i.test(text);
}
