// Builds the mini-program: every entry (app.ts and each page/component .ts with a sibling .json) is
// bundled by esbuild to a .js beside it (cjs, es2017, platform neutral), the build-time switches are
// injected with `define`, and the output is checked for what the WeChat runtime lacks, for local-mode
// leftovers in production builds, and against a size budget far below the 2 MB main-package limit.
//
//   npx tsx scripts/build/miniprogram.ts                 production build in place
//   MP_TARGET=local npx tsx scripts/build/miniprogram.ts local-mode build in place
//   MP_LANG=en npx tsx scripts/build/miniprogram.ts      the shop in English (default zh-CN)
//   MP_TRANSPORT=http MP_FUNCTION_URLS='{"login":"https://…",…}' npx tsx scripts/build/miniprogram.ts
//                                                        functions behind SCF function URLs (session tokens)
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';
import { DEFAULT_PORTS } from '../../emulator/shared/ports';
import { DEFAULT_LANG, Lang, LANGS } from '../../lib/contract/i18n';

export type MiniprogramTarget = 'cloud' | 'local';
/** How functions are called: wx.cloud.callFunction, or wx.request to SCF function URLs with a session token. */
export type MiniprogramTransport = 'cloud' | 'http';

export interface MiniprogramBuildOptions {
  /** Mini-program sources; default <repo>/miniprogram. */
  srcDir?: string;
  /** Where the package is written; default srcDir (built .js in place). Otherwise assets are copied too. */
  outDir?: string;
  /** 'cloud' (production, default) or 'local' (talks to the offline stack). */
  target?: MiniprogramTarget;
  /** CloudBase env id for wx.cloud.init; empty = the project's default environment. */
  cloudEnv?: string;
  /** Local mode endpoints and identity (ignored for 'cloud'). */
  local?: { functionsUrl?: string; simulatorUrl?: string; openid?: string };
  /** 'cloud' (default) or 'http' (SCF function URLs; needs functionsBaseUrl and/or functionUrls). */
  transport?: MiniprogramTransport;
  /** http transport: `${functionsBaseUrl}/${name}` for functions not in functionUrls. */
  functionsBaseUrl?: string;
  /** http transport: one URL per function (SCF gives each function its own URL). */
  functionUrls?: Record<string, string>;
  /** Language of the shop's texts: 'zh-CN' (default) or 'en' (miniprogram/i18n). */
  lang?: Lang;
  /** Waits between queryOrder polls after the payment sheet succeeds. */
  pollDelaysMs?: number[];
  /** Fail if the main package is larger; default 512 KiB. */
  budgetBytes?: number;
  minify?: boolean;
  log?: (line: string) => void;
}

export interface MiniprogramBuildResult {
  outDir: string;
  target: MiniprogramTarget;
  transport: MiniprogramTransport;
  entries: string[];
  outputs: string[];
  mainPackageBytes: number;
  budgetBytes: number;
}

export const MAIN_PACKAGE_LIMIT_BYTES = 2 * 1024 * 1024;
export const DEFAULT_BUDGET_BYTES = 512 * 1024;
export const DEFAULT_POLL_DELAYS_MS = [1000, 2000, 3000, 4000];
export const DEFAULT_DEV_OPENID = 'oLOCALDEVUSER0000000000000001';

const REPO = resolve(__dirname, '..', '..');
const ASSET = /\.(json|wxml|wxss|wxs|png|jpe?g|gif|svg|webp)$/;

/** What the WeChat runtime does not have (a bundle using any of these breaks on a phone). */
const FORBIDDEN: Array<[string, RegExp]> = [
  ['window', /\bwindow\b/],
  ['document', /\bdocument\b/],
  ['eval', /\beval\s*\(/],
  ['new Function', /\bnew\s+Function\b/],
  ['dynamic import', /\bimport\s*\(/],
];
/** What only a local build may contain. */
const LOCAL_ONLY: Array<[string, RegExp]> = [
  ['127.0.0.1', /127\.0\.0\.1/],
  ['localhost', /\blocalhost\b/],
  ['__sim', /__sim/],
];

export class MiniprogramBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MiniprogramBuildError';
  }
}

/** What only an http-transport build may contain (session login, bearer tokens). */
const HTTP_ONLY: Array<[string, RegExp]> = [
  ['Bearer', /Bearer/],
  ['wx.login', /\.login\(\s*\{/],
];

/** Names of the forbidden things found in one built file's code. */
export function scanBuiltCode(code: string, target: MiniprogramTarget, transport: MiniprogramTransport = 'cloud'): string[] {
  let rules = target === 'cloud' ? FORBIDDEN.concat(LOCAL_ONLY) : FORBIDDEN;
  if (transport === 'cloud') rules = rules.concat(HTTP_ONLY);
  return rules.filter(([, re]) => re.test(code)).map(([name]) => name);
}

/** MP_FUNCTION_URLS: a JSON object {"login": "https://…"} or "login=https://…,createOrder=https://…". */
export function parseFunctionUrls(text: string): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new MiniprogramBuildError('MP_FUNCTION_URLS is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
      throw new MiniprogramBuildError('MP_FUNCTION_URLS must map function names to URL strings');
    }
    return parsed as Record<string, string>;
  }
  const urls: Record<string, string> = {};
  for (const pair of trimmed.split(',')) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new MiniprogramBuildError(`MP_FUNCTION_URLS entry "${pair.trim()}" is not name=url`);
    urls[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return urls;
}

/** http transport URLs: https only (wx.request's rule), plain http only to loopback in a local build. */
function validateHttpTransport(target: MiniprogramTarget, base: string, urls: Record<string, string>): void {
  const all = Object.entries(urls).concat(base ? [['MP_FUNCTIONS_BASE_URL', base]] : []);
  if (all.length === 0) throw new MiniprogramBuildError('MP_TRANSPORT=http needs MP_FUNCTIONS_BASE_URL or MP_FUNCTION_URLS (the SCF function URLs)');
  for (const [name, value] of all) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new MiniprogramBuildError(`function URL for ${name} is not an absolute URL: ${value}`);
    }
    const loopback = ['127.0.0.1', 'localhost'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(target === 'local' && url.protocol === 'http:' && loopback)) {
      throw new MiniprogramBuildError(`function URL for ${name} must be https (wx.request calls only https domains; http is allowed for 127.0.0.1 in a local build)`);
    }
  }
}

/** Options from the environment: MP_LANG (zh-CN | en), MP_TARGET, MP_TRANSPORT, MP_FUNCTIONS_BASE_URL, MP_FUNCTION_URLS, MP_CLOUD_ENV, MP_OUT_DIR, MP_FUNCTIONS_URL, MP_SIMULATOR_URL, MP_DEV_OPENID, MP_POLL_DELAYS_MS, MP_BUDGET_BYTES. */
export function miniprogramOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): MiniprogramBuildOptions {
  const target = (env.MP_TARGET || 'cloud') as MiniprogramTarget;
  const opts: MiniprogramBuildOptions = { target, cloudEnv: env.MP_CLOUD_ENV || '' };
  if (env.MP_LANG) opts.lang = env.MP_LANG as Lang;
  if (env.MP_TRANSPORT) opts.transport = env.MP_TRANSPORT as MiniprogramTransport;
  if (env.MP_FUNCTIONS_BASE_URL) opts.functionsBaseUrl = env.MP_FUNCTIONS_BASE_URL;
  if (env.MP_FUNCTION_URLS) opts.functionUrls = parseFunctionUrls(env.MP_FUNCTION_URLS);
  if (env.MP_OUT_DIR) opts.outDir = env.MP_OUT_DIR;
  opts.local = {
    functionsUrl: env.MP_FUNCTIONS_URL || `http://127.0.0.1:${env.CLOUDBASE_EMULATOR_PORT || DEFAULT_PORTS.cloudbase}`,
    simulatorUrl: env.MP_SIMULATOR_URL || `http://127.0.0.1:${env.WECHAT_SIMULATOR_PORT || DEFAULT_PORTS.wechat}`,
    openid: env.MP_DEV_OPENID || DEFAULT_DEV_OPENID,
  };
  if (env.MP_POLL_DELAYS_MS) opts.pollDelaysMs = env.MP_POLL_DELAYS_MS.split(',').map((s) => Number(s.trim()));
  if (env.MP_BUDGET_BYTES) opts.budgetBytes = Number(env.MP_BUDGET_BYTES);
  return opts;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** app.ts and every .ts that has a sibling .json (pages and components). */
export function findEntries(srcDir: string): string[] {
  return walk(srcDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .filter((f) => f === join(srcDir, 'app.ts') || existsSync(f.replace(/\.ts$/, '.json')))
    .sort();
}

/** Files that DevTools uploads in the main package (sources and tsconfig are excluded by packOptions). */
function packageFiles(dir: string): string[] {
  return walk(dir).filter((f) => !f.endsWith('.ts') && !f.endsWith('tsconfig.json'));
}

function validate(o: Required<Pick<MiniprogramBuildOptions, 'target' | 'pollDelaysMs' | 'budgetBytes'>>): void {
  if (o.target !== 'cloud' && o.target !== 'local') throw new MiniprogramBuildError(`MP_TARGET must be "cloud" or "local", got "${o.target}"`);
  if (!o.pollDelaysMs.every((n) => Number.isInteger(n) && n >= 0)) throw new MiniprogramBuildError('poll delays must be non-negative integers (ms), e.g. MP_POLL_DELAYS_MS=1000,2000');
  if (!Number.isInteger(o.budgetBytes) || o.budgetBytes <= 0 || o.budgetBytes > MAIN_PACKAGE_LIMIT_BYTES) {
    throw new MiniprogramBuildError(`size budget must be an integer between 1 and ${MAIN_PACKAGE_LIMIT_BYTES} bytes`);
  }
}

export async function buildMiniprogram(opts: MiniprogramBuildOptions = {}): Promise<MiniprogramBuildResult> {
  const srcDir = resolve(opts.srcDir || join(REPO, 'miniprogram'));
  const outDir = resolve(opts.outDir || srcDir);
  const target = opts.target || 'cloud';
  const pollDelaysMs = opts.pollDelaysMs || DEFAULT_POLL_DELAYS_MS;
  const budgetBytes = opts.budgetBytes || DEFAULT_BUDGET_BYTES;
  const log = opts.log || ((line: string) => console.log(line));
  validate({ target, pollDelaysMs, budgetBytes });
  const transport = opts.transport || 'cloud';
  const lang = opts.lang || DEFAULT_LANG;
  if (!LANGS.includes(lang)) throw new MiniprogramBuildError(`MP_LANG must be one of ${LANGS.join(', ')}, got "${lang}"`);
  if (transport !== 'cloud' && transport !== 'http') throw new MiniprogramBuildError(`MP_TRANSPORT must be "cloud" or "http", got "${transport}"`);
  const functionsBaseUrl = transport === 'http' ? (opts.functionsBaseUrl || '').replace(/\/+$/, '') : '';
  const functionUrls = transport === 'http' ? opts.functionUrls || {} : {};
  if (transport === 'http') validateHttpTransport(target, functionsBaseUrl, functionUrls);
  const local = target === 'local' ? { functionsUrl: '', simulatorUrl: '', openid: DEFAULT_DEV_OPENID, ...opts.local } : null;
  if (local && (!local.functionsUrl || !local.simulatorUrl)) throw new MiniprogramBuildError('a local build needs local.functionsUrl and local.simulatorUrl');

  const entries = findEntries(srcDir);
  if (!entries.includes(join(srcDir, 'app.ts'))) throw new MiniprogramBuildError(`no app.ts in ${srcDir}`);
  if (outDir !== srcDir) {
    for (const file of walk(srcDir).filter((f) => ASSET.test(f) && !f.endsWith('tsconfig.json'))) {
      const dest = join(outDir, relative(srcDir, file));
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(file, dest);
    }
  }

  const result = await build({
    entryPoints: entries,
    outdir: outDir,
    outbase: srcDir,
    bundle: true,
    format: 'cjs',
    platform: 'neutral',
    target: 'es2017',
    // Syntax minification removes dead `if (false)` branches outright (identifiers stay readable).
    minifySyntax: true,
    minifyWhitespace: Boolean(opts.minify),
    minifyIdentifiers: Boolean(opts.minify),
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
    write: true,
    metafile: true,
    // Production folds `if (__MP_LOCAL__)` to nothing, so no local URL or module survives in it.
    define: {
      __MP_LOCAL__: String(Boolean(local)),
      __MP_CLOUD_ENV__: JSON.stringify(opts.cloudEnv || ''),
      __MP_FUNCTIONS_URL__: JSON.stringify(local ? local.functionsUrl.replace(/\/+$/, '') : ''),
      __MP_SIMULATOR_URL__: JSON.stringify(local ? local.simulatorUrl.replace(/\/+$/, '') : ''),
      __MP_DEV_OPENID__: JSON.stringify(local ? local.openid : ''),
      __MP_POLL_DELAYS__: JSON.stringify(pollDelaysMs),
      __MP_LANG__: JSON.stringify(lang),
      // A cloud-transport build folds `if (__MP_HTTP__)` away: no session login, token or URL in it.
      __MP_HTTP__: String(transport === 'http'),
      __MP_FUNCTIONS_BASE_URL__: JSON.stringify(functionsBaseUrl),
      __MP_FUNCTION_URLS__: JSON.stringify(functionUrls),
    },
  });
  const outputs = Object.keys(result.metafile.outputs).map((f) => resolve(f)).sort();

  const problems: string[] = [];
  for (const file of outputs) {
    const found = scanBuiltCode(readFileSync(file, 'utf8'), target, transport);
    if (found.length) problems.push(`${relative(REPO, file)}: ${found.join(', ')}`);
  }
  if (problems.length) throw new MiniprogramBuildError(`built mini-program contains what it must not:\n  ${problems.join('\n  ')}`);

  const mainPackageBytes = packageFiles(outDir).reduce((n, f) => n + statSync(f).size, 0);
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  log(`miniprogram (${target}${transport === 'http' ? ', http transport' : ''}): ${entries.length} entries → ${relative(REPO, outDir) || '.'}; main package ${kib(mainPackageBytes)} (budget ${kib(budgetBytes)}, limit 2 MiB)`);
  if (mainPackageBytes > budgetBytes) throw new MiniprogramBuildError(`main package is ${mainPackageBytes} bytes, over the ${budgetBytes}-byte budget`);
  return { outDir, target, transport, entries, outputs, mainPackageBytes, budgetBytes };
}

if (require.main === module) {
  buildMiniprogram(miniprogramOptionsFromEnv()).catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
