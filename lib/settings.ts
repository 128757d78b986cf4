/**
 * The functions' tuning settings (not secrets): ONE table of name, kind, default, bounds and what
 * each does. The loaders (lib/orders|refunds|bills|fulfilment/settings.ts, lib/config.ts identity,
 * lib/ssm/env.ts) read their values through it; `npm start` passes every name through from the
 * developer's shell (scripts/local/function-env.ts); deploy carries them and shows them in clear
 * unless personal (scripts/deploy/config.ts); doctor runs the loaders. A new setting is one row here.
 */
import { ConfigError } from './config-error';

interface IntSetting {
  kind: 'int';
  default: number;
  min: number;
  max: number;
  /** Said in the error ("a whole number of seconds"). */
  unit?: string;
  about: string;
}

interface OpenidsSetting {
  kind: 'openids';
  /** Used when this one is empty. */
  fallback?: 'REFUND_ADMIN_OPENIDS';
  about: string;
}

export type SettingSpec = IntSetting | OpenidsSetting;

export const SETTINGS = {
  ORDER_EXPIRE_MINUTES: { kind: 'int', default: 30, min: 1, max: 7 * 24 * 60, about: 'how long an unpaid order stays payable; sent to WeChat Pay as time_expire' },
  RECONCILE_MIN_AGE_SECONDS: { kind: 'int', default: 60, min: 0, max: 86_400, about: 'the order timer leaves younger orders alone: their notification is probably on its way' },
  RECONCILE_TIME_BUDGET_MS: { kind: 'int', default: 2_000, min: 100, max: 900_000, about: 'the order timer starts no new work after this long, so it finishes inside its timeout' },
  RECONCILE_BATCH_SIZE: { kind: 'int', default: 100, min: 1, max: 1000, about: 'orders one timer tick looks at' },
  RECONCILE_CONCURRENCY: { kind: 'int', default: 5, min: 1, max: 50, about: 'WeChat Pay queries the timer runs at once' },
  REFUND_ADMIN_OPENIDS: { kind: 'openids', about: 'staff allowed to call refundOrder (comma-separated openids)' },
  REFUND_RECONCILE_MIN_AGE_SECONDS: { kind: 'int', default: 180, min: 0, max: 86_400, about: 'the timer queries a pending refund once it is this old' },
  BILL_TIME_BUDGET_MS: { kind: 'int', default: 10_000, min: 500, max: 900_000, about: 'a bill run stops after this long and resumes from its cursor' },
  BILL_BATCH_SIZE: { kind: 'int', default: 1000, min: 1, max: 1000, about: 'bill rows matched per database read (at most 1000: the cloud database\'s page limit)' },
  BILL_LOOKUP_CONCURRENCY: { kind: 'int', default: 4, min: 1, max: 16, about: 'batches read from the database at once while the bill file keeps streaming' },
  BILL_ADMIN_OPENIDS: { kind: 'openids', fallback: 'REFUND_ADMIN_OPENIDS', about: 'staff allowed to run reconcileBill on demand (default: REFUND_ADMIN_OPENIDS)' },
  SHIPPING_ADMIN_OPENIDS: { kind: 'openids', fallback: 'REFUND_ADMIN_OPENIDS', about: 'staff allowed to call shipOrder (default: REFUND_ADMIN_OPENIDS)' },
  SHIPPING_CHECK_MIN_AGE_SECONDS: { kind: 'int', default: 600, min: 0, max: 30 * 86_400, unit: 'seconds', about: 'the timer asks getOrder about a shipped order once it is this old' },
  SHIPPING_OUTBOX_MIN_AGE_SECONDS: { kind: 'int', default: 60, min: 0, max: 30 * 86_400, unit: 'seconds', about: 'an owed shipping upload is sent again once it is this old' },
  SESSION_TTL_SECONDS: { kind: 'int', default: 7200, min: 60, max: 30 * 86_400, unit: 'seconds', about: 'lifetime of a session token (IDENTITY_MODE=session)' },
  SECRETS_CACHE_TTL_SECONDS: { kind: 'int', default: 600, min: 0, max: 86_400, unit: 'seconds', about: 'how long a value read from an ssm: reference is reused' },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
type IntSettingName = { [K in SettingName]: (typeof SETTINGS)[K]['kind'] extends 'int' ? K : never }[SettingName];
type OpenidsSettingName = Exclude<SettingName, IntSettingName>;

/** Every name in the table, in table order: what `npm start` passes through and deploy carries. */
export const FUNCTION_SETTINGS = Object.keys(SETTINGS) as readonly SettingName[];

/** The staff allowlists among them: refundOrder's, and shipOrder's and reconcileBill's (each defaults to the refund staff). */
export const STAFF_LIST_SETTINGS = FUNCTION_SETTINGS.filter((name) => SETTINGS[name].kind === 'openids') as readonly OpenidsSettingName[];

/** Staff lists are personal data: a deploy plan masks them. */
export function isPersonalSetting(name: SettingName): boolean {
  return SETTINGS[name].kind === 'openids';
}

type Env = Record<string, string | undefined>;

/** The table's default when unset or blank; anything else must be a whole number within the bounds. */
export function readIntSetting(env: Env, name: IntSettingName): number {
  const spec: IntSetting = SETTINGS[name];
  const raw = (env[name] ?? '').trim();
  if (raw === '') return spec.default;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
    throw new ConfigError(name, `must be a whole number${spec.unit ? ` of ${spec.unit}` : ''} from ${spec.min} to ${spec.max}.`, { kind: 'INT_RANGE', min: spec.min, max: spec.max, unit: spec.unit });
  }
  return value;
}

/** Several at once: `{ field: NAME }` → `{ field: value }`, each read as readIntSetting does. */
export function readIntSettings<T extends Record<string, IntSettingName>>(env: Env, fields: T): { [K in keyof T]: number } {
  return Object.fromEntries(Object.entries(fields).map(([field, name]) => [field, readIntSetting(env, name)])) as { [K in keyof T]: number };
}

const OPENID = /^[0-9A-Za-z_-]{6,64}$/;

/** "a, b ,c" → {a, b, c}. A malformed entry fails loudly: a typo must not silently lock staff out. */
export function parseOpenids(raw: string | undefined, name: OpenidsSettingName): Set<string> {
  const ids = (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const id of ids) {
    if (!OPENID.test(id)) throw new ConfigError(name, `must be a comma-separated list of openids (got an entry of ${id.length} characters that is not one).`, { kind: 'OPENID_LIST', length: id.length });
  }
  return new Set(ids);
}

/** The list a staff list falls back to when empty (BILL_/SHIPPING_ → REFUND_ADMIN_OPENIDS); undefined for one that does not. */
export function staffListFallback(name: OpenidsSettingName): OpenidsSettingName | undefined {
  const spec: OpenidsSetting = SETTINGS[name];
  return spec.fallback;
}

/** A staff list; empty → its fallback list (BILL_/SHIPPING_ → REFUND_ADMIN_OPENIDS). */
export function readOpenidsSetting(env: Env, name: OpenidsSettingName): Set<string> {
  const fallback = staffListFallback(name);
  if ((env[name] ?? '').trim() === '' && fallback) return readOpenidsSetting(env, fallback);
  return parseOpenids(env[name], name);
}
