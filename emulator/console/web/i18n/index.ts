// The console's one text seam: the browser's language picks the table (navigator.languages; zh-CN
// unless English comes first), `t(key, values)` reads it. Views never hold a sentence themselves.
import { fill, pickBrowserLang, type Lang } from '../../../../lib/contract/i18n';
import { en } from './en';
import { type ConsoleKey, zhCN } from './zh-CN';

export type { ConsoleKey };
export const TABLES = { 'zh-CN': zhCN, en } as const;

const browserLangs = typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];
export const lang: Lang = pickBrowserLang(browserLangs);

export function t(key: ConsoleKey, values?: Readonly<Record<string, string | number>>): string {
  return fill(TABLES[lang][key], values);
}
