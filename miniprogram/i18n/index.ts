// The shop's one text seam: `t(key, values)` over the table the build chose. zh-CN unless the
// build ran with MP_LANG=en (esbuild `define` __MP_LANG__); pages never hold a sentence themselves.
import { fill } from '../../lib/contract/i18n';
import { en } from './en';
import { ShopKey, zhCN } from './zh-CN';

export type { ShopKey };
export const messages: Readonly<Record<ShopKey, string>> = __MP_LANG__ === 'en' ? en : zhCN;

export function t(key: ShopKey, values?: Readonly<Record<string, string | number>>): string {
  return fill(messages[key], values);
}

/**
 * The whole table nested by its dots, for WXML: a page puts it in its data as `m` and writes
 * {{m.products.loading}}; placeholders are filled in the page's code with t().
 */
export function pageTexts(): Record<string, unknown> {
  const out: Record<string, any> = {};
  for (const key of Object.keys(messages) as ShopKey[]) {
    const parts = key.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) node = node[part] = node[part] || {};
    node[parts[parts.length - 1]] = messages[key];
  }
  return out;
}
