// The message-table kernel shared by every surface (mini-program, console, CLI). Pure: no Node API,
// no wx API, no DOM, so the mini-program bundle and the console page take it as they take money.ts.
// Each surface keeps one table per language; zh-CN is the default, English the other. A table is a
// flat map of key → template with {name} placeholders. Technical identifiers (trade_state values,
// field names, error codes) are never translated: they are passed in as placeholder values.

import { chinaWallClock } from './time';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const DEFAULT_LANG: Lang = 'zh-CN';

export type Messages = Readonly<Record<string, string>>;
/** The English table must have exactly the keys of the Chinese one (checked by tsc and by a test). */
export type TableOf<T extends Messages> = { readonly [K in keyof T]: string };

/** "{count} 件" + {count: 2} → "2 件". An unknown placeholder is left visible, so a test sees it. */
export function fill(template: string, values: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** A translator over one table: t('key', {values}). */
export function translator<T extends Messages>(table: T): (key: keyof T & string, values?: Readonly<Record<string, string | number>>) => string {
  return (key, values) => fill(table[key], values);
}

/** The placeholders a template uses, sorted: "退款 {amount}（共 {total}）" → ["amount", "total"]. */
export function placeholders(template: string): string[] {
  // exec loop, not matchAll/flatMap: the mini-program targets ES2017.
  const names: string[] = [];
  const re = /\{(\w+)\}/g;
  for (let m = re.exec(template); m; m = re.exec(template)) names.push(m[1]);
  return names.sort();
}

/**
 * What differs between two tables of one surface: keys missing on either side, empty texts and
 * placeholders that do not match (a translation that drops {amount} would hide the money).
 */
export function tableProblems(tables: Readonly<Record<Lang, Messages>>): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const lang of LANGS) for (const key of Object.keys(tables[lang])) keys.add(key);
  for (const key of Array.from(keys).sort()) {
    for (const lang of LANGS) {
      const text = tables[lang][key];
      if (typeof text !== 'string') problems.push(`${lang}: missing "${key}"`);
      else if (text.trim() === '') problems.push(`${lang}: "${key}" is empty`);
    }
    const [a, b] = LANGS.map((l) => tables[l][key]);
    if (typeof a === 'string' && typeof b === 'string' && placeholders(a).join() !== placeholders(b).join()) {
      problems.push(`"${key}": placeholders differ (${placeholders(a).join() || 'none'} vs ${placeholders(b).join() || 'none'})`);
    }
  }
  return problems;
}

/** A language tag or locale ("en-US", "en_GB.UTF-8", "zh-CN", "C") → one of ours; zh-CN unless English. */
export function pickLang(tag: string | null | undefined): Lang {
  return /^en(?:[-_.]|$)/i.test((tag || '').trim()) ? 'en' : DEFAULT_LANG;
}

/** The first of the browser's languages we have (navigator.languages order), zh-CN when none. */
export function pickBrowserLang(tags: ReadonlyArray<string>): Lang {
  for (const tag of tags) {
    if (/^en(?:-|$)/i.test(tag)) return 'en';
    if (/^zh(?:-|$)/i.test(tag)) return 'zh-CN';
  }
  return DEFAULT_LANG;
}

/** An instant → "2026-12-01 21:17" in China time, whatever the phone's or server's time zone. "" if unreadable. */
export function formatChinaTime(instant: string | number | Date): string {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) return '';
  const d = chinaWallClock(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}
