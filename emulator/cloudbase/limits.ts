/**
 * Every limit the emulator enforces, in one table: value, where the number comes from, and whether
 * that source is primary (SDK source, official docs) or the value is our pick (`confirmed: false`).
 * The README's "Limits" table is kept in step with this one by test/cloudbase/conformance/table.test.ts.
 */
const MB = 1024 * 1024;

export interface Limit {
  value: number;
  unit: 'bytes' | 'documents' | 'files' | 'seconds' | 'ms';
  what: string;
  source: string;
  confirmed: boolean;
}

function limit(value: number, unit: Limit['unit'], what: string, source: string, confirmed: boolean): Limit {
  return { value, unit, what, source, confirmed };
}

export const LIMITS = {
  getDefault: limit(100, 'documents', '`get()` without `limit()`', '@cloudbase/database query.js sends `limit: 100`', true),
  getMax: limit(1000, 'documents', '`limit(n)` of `get()` is capped at', '@cloudbase/database query.js', true),
  aggregateDefault: limit(20, 'documents', '`aggregate()` without a `$limit` stage returns at most', 'community tests (the SDK sends no limit; the service truncates)', false),
  functionResult: limit(1 * MB, 'bytes', "a function's JSON return value", 'wx-server-sdk error table: -604001 "cloudfunction result size exceed limit (1MB)"; applied to nested calls too (unconfirmed there)', true),
  callFunctionPayload: limit(6 * MB, 'bytes', '`callFunction` `data` (JSON)', 'SCF synchronous event limit (6 MB); WeChat only recommends ≤ 256 KB', false),
  httpAccessResponse: limit(6 * MB, 'bytes', 'HTTP access response body', 'SCF synchronous response limit (6 MB)', false),
  requestPacket: limit(16 * MB, 'bytes', 'one request to the service (an admin call, a function call); larger → HTTP 413', 'CloudBase quota: 16 MB per packet', true),
  functionTimeout: limit(3000, 'ms', 'default function timeout (configurable per function, up to 60 s)', 'WeChat Cloud function defaults', true),
  document: limit(16 * MB, 'bytes', 'one document (BSON size)', 'MongoDB BSON limit; CloudBase packet quota 16 MB', false),
  transactionTtl: limit(60_000, 'ms', 'an unfinished transaction (and its locks) expires after', 'not documented; our pick', false),
  storageFile: limit(5 * 1024 * MB, 'bytes', 'one uploaded file', 'COS simple upload (PUT Object) limit 5 GB', false),
  storagePath: limit(850, 'bytes', '`cloudPath` (UTF-8)', 'COS object-key rules, which WeChat cloud storage file names follow (not re-checked at the source)', false),
  tempUrlDefaultAge: limit(600, 'seconds', '`getTempFileURL` link lifetime without `maxAge`', 'Cloud.getTempFileURL docs: private files 10 minutes', true),
  tempUrlMaxAge: limit(86_400, 'seconds', '`maxAge` of `getTempFileURL` is capped at', 'wx.cloud.getTempFileURL docs: at most one day', true),
  tempUrlFiles: limit(50, 'files', 'files per `getTempFileURL` / `deleteFile` call', 'Cloud.getTempFileURL docs: 50 per call (deleteFile: our pick)', true),
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

/** "1 MB", "16 MB", "5 GB", "20 documents" — the same text the README shows. */
export function describeLimit(l: Limit): string {
  if (l.unit !== 'bytes') return `${l.value.toLocaleString('en')} ${l.unit}`;
  if (l.value % (1024 * MB) === 0) return `${l.value / (1024 * MB)} GB`;
  if (l.value % MB === 0) return `${l.value / MB} MB`;
  return `${l.value} bytes`;
}

/** The README's limits table, rendered from LIMITS (the table test compares the two). */
export function renderLimitsTable(): string {
  const rows = Object.entries(LIMITS).map(([name, l]) => `| \`${name}\` | ${describeLimit(l)} | ${l.what} | ${l.source} | ${l.confirmed ? 'yes' : '*unconfirmed*'} |`);
  return ['| limit | value | what | source | confirmed |', '|---|---|---|---|---|', ...rows].join('\n');
}
