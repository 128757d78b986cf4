// Every surface's message tables: the same keys in zh-CN and en, no empty text, the same
// placeholders (a translation that drops {amount} would hide the money). Plus the kernel itself.
import { fill, formatChinaTime, pickBrowserLang, pickLang, tableProblems } from '../../lib/contract/i18n';
import { APP_ERROR_CODES } from '../../lib/contract/errors';
import { en as consoleEn } from '../../emulator/console/web/i18n/en';
import { zhCN as consoleZh } from '../../emulator/console/web/i18n/zh-CN';
import { en as shopEn } from '../../miniprogram/i18n/en';
import { zhCN as shopZh } from '../../miniprogram/i18n/zh-CN';
import { CLI_TABLES } from '../../scripts/i18n';

const SURFACES = {
  'mini-program': { 'zh-CN': shopZh, en: shopEn },
  console: { 'zh-CN': consoleZh, en: consoleEn },
  CLI: CLI_TABLES,
};

describe('message tables', () => {
  it.each(Object.entries(SURFACES))('%s: zh-CN and en have the same keys and placeholders', (_name, tables) => {
    expect(tableProblems(tables)).toEqual([]);
  });

  it('reports a key missing in either language, an empty text and a dropped placeholder', () => {
    expect(tableProblems({ 'zh-CN': { a: '甲', b: '乙 {n}', c: '丙' }, en: { a: 'A', b: 'B', d: ' ' } })).toEqual([
      '"b": placeholders differ (n vs none)',
      'en: missing "c"',
      'zh-CN: missing "d"',
      'en: "d" is empty',
    ]);
  });

  it('the shop error sentences cover every code the functions answer with', () => {
    const codes: string[] = [...Object.values(APP_ERROR_CODES), 'NETWORK', 'BAD_RESPONSE'] // + the client's own (miniprogram/services/errors CLIENT_CODES);
    expect(codes.filter((c) => !(`error.${c}` in shopZh))).toEqual([]);
  });
});

describe('i18n kernel', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fill('共 {count} 件 · {total}', { count: 2, total: '¥3.00' })).toBe('共 2 件 · ¥3.00');
    expect(fill('退款 {amount}', {})).toBe('退款 {amount}');
  });

  it('picks zh-CN unless the tag is English', () => {
    expect(['en', 'en-US', 'en_GB.UTF-8', 'EN'].map(pickLang)).toEqual(['en', 'en', 'en', 'en']);
    expect(['zh-CN', 'zh_CN.UTF-8', 'C', '', undefined, 'fr-FR', 'english'].map(pickLang)).toEqual(Array(7).fill('zh-CN'));
    expect(pickBrowserLang(['fr-FR', 'en-US', 'zh-CN'])).toBe('en');
    expect(pickBrowserLang(['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickBrowserLang(['fr'])).toBe('zh-CN');
  });

  it('formats instants in China time (UTC+8) and refuses nonsense', () => {
    expect(formatChinaTime('2026-12-31T16:00:00Z')).toBe('2027-01-01 00:00');
    expect(formatChinaTime(Date.UTC(2026, 5, 1, 3, 4))).toBe('2026-06-01 11:04');
    expect(formatChinaTime('not a date')).toBe('');
  });
});
