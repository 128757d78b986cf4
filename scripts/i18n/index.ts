/**
 * The CLI's language: Chinese unless told otherwise. `--lang en` (or `--lang=en`) on the command
 * line wins; otherwise the locale (LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them), so
 * LANG=en_US.UTF-8 prints English and LANG=C or zh_CN.UTF-8 prints Chinese. Error codes and
 * technical identifiers are the same in both languages: scripts match on them, not on the words.
 *
 * Each entry point calls `cliArgs()` once (it sets the language and hands back its arguments
 * without --lang); the modules below it call `t()`.
 */
import { fill, pickLang, type Lang } from '../../lib/contract/i18n';
import { en } from './en';
import { zhCN } from './zh-CN';

export type CliKey = keyof typeof zhCN;
export const CLI_TABLES = { 'zh-CN': zhCN, en } as const;

type Env = Readonly<Record<string, string | undefined>>;

/** The language the environment asks for (LC_ALL > LC_MESSAGES > LANG), zh-CN when none is English. */
export function langFromEnv(env: Env): Lang {
  return pickLang(env.LC_ALL || env.LC_MESSAGES || env.LANG);
}

/** `--lang X` / `--lang=X` taken out of argv; the rest passed on untouched. */
export function splitLangFlag(argv: readonly string[]): { lang?: string; args: string[] } {
  const args: string[] = [];
  let lang: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--lang') lang = argv[++i] ?? '';
    else if (a.startsWith('--lang=')) lang = a.slice('--lang='.length);
    else args.push(a);
  }
  return { lang, args };
}

let current: Lang = langFromEnv(process.env);

export function setCliLang(lang: Lang): void {
  current = lang;
}

export function cliLang(): Lang {
  return current;
}

/** Sets the CLI language from argv and env; returns argv without --lang. */
export function cliArgs(argv: readonly string[] = process.argv.slice(2), env: Env = process.env): string[] {
  const { lang, args } = splitLangFlag(argv);
  setCliLang(lang !== undefined ? pickLang(lang) : langFromEnv(env));
  return args;
}

/** The text of `key` in the CLI's language, placeholders filled. */
export function t(key: CliKey, values?: Readonly<Record<string, string | number>>): string {
  return fill(CLI_TABLES[current][key], values);
}

/** Terminal columns a text takes: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) || ch.codePointAt(0)! > 0x1ffff ? 2 : 1;
  return width;
}

/** padEnd by terminal columns, so Chinese columns line up as English ones do. */
export function padEndDisplay(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - displayWidth(text)));
}
