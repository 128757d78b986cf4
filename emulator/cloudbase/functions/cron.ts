/**
 * SCF / WeChat Cloud timer cron: 7 fields `second minute hour day month weekday year`
 * (e.g. "0 *\/5 * * * * *"). Fields accept `*`, numbers, `a-b`, `a,b`, `*\/n`, `a-b/n`, and names
 * for months (JAN-DEC) and weekdays (SUN-SAT, 0 = Sunday). Matching is on local time, second
 * resolution; when both day and weekday are restricted a time matches either (classic cron).
 */
export interface Cron {
  source: string;
  matches(d: Date): boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  namesBase?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesBase: 1 },
  { name: 'weekday', min: 0, max: 6, names: DAYS, namesBase: 0 },
  { name: 'year', min: 1970, max: 2199 },
];

export class CronError extends Error {
  readonly code = 'CB_INVALID_CRON';
}

function value(tok: string, f: FieldSpec, expr: string): number {
  const i = f.names?.indexOf(tok.toUpperCase()) ?? -1;
  const n = i >= 0 ? i + (f.namesBase ?? 0) : /^\d+$/.test(tok) ? Number(tok) : NaN;
  if (!(n >= f.min && n <= f.max)) throw new CronError(`cron "${expr}": ${f.name} value "${tok}" is not in ${f.min}-${f.max}`);
  return n;
}

/** The allowed values of one field, or null for "any". */
function parseField(text: string, f: FieldSpec, expr: string): Set<number> | null {
  if (text === '*' || text === '?') return null;
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new CronError(`cron "${expr}": bad step in ${f.name} "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [f.min, f.max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [lo, hi] = [value(a, f, expr), value(b, f, expr)];
    } else {
      lo = value(range, f, expr);
      hi = stepText === undefined ? lo : f.max;
    }
    if (lo > hi) throw new CronError(`cron "${expr}": empty range in ${f.name} "${part}"`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expr: string): Cron {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 7) throw new CronError(`cron "${expr}": expected 7 fields (second minute hour day month weekday year), got ${parts.length}`);
  const sets = parts.map((p, i) => parseField(p, FIELDS[i], expr));
  const [sec, min, hour, day, month, weekday, year] = sets;
  const ok = (s: Set<number> | null, v: number): boolean => s === null || s.has(v);
  return {
    source: expr,
    matches(d: Date): boolean {
      const dayOk = day !== null && weekday !== null ? day.has(d.getDate()) || weekday.has(d.getDay()) : ok(day, d.getDate()) && ok(weekday, d.getDay());
      return ok(sec, d.getSeconds()) && ok(min, d.getMinutes()) && ok(hour, d.getHours()) && dayOk && ok(month, d.getMonth() + 1) && ok(year, d.getFullYear());
    },
  };
}
