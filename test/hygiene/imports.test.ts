/**
 * Imports run one way: scripts → emulator → lib, cloudfunctions → lib, the mini-program and the
 * console page → lib/contract only (README "Layout"). Read from the sources as text: every static
 * import/export … from, require() and import() specifier of every tracked TypeScript file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize } from 'node:path';

const REPO = join(__dirname, '..', '..');
const SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

interface Import { file: string; spec: string; target?: string }

function sources(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.tsx'], { cwd: REPO, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !f.startsWith('node_modules/') && !f.endsWith('.d.ts'));
}

/** Every import of every source file; `target` is the repo path for relative specifiers. */
export function importsOf(files: string[], read: (file: string) => string): Import[] {
  const out: Import[] = [];
  for (const file of files) {
    const text = read(file).replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[2];
      const target = spec.startsWith('.') ? normalize(join(dirname(file), spec)) : undefined;
      out.push({ file, spec, ...(target !== undefined ? { target } : {}) });
    }
  }
  return out;
}

const under = (path: string | undefined, folder: string): boolean => path !== undefined && (path === folder || path.startsWith(`${folder}/`));
const isNodeOnly = (i: Import): boolean => i.target === undefined && (NODE_BUILTINS.has(i.spec) || NODE_BUILTINS.has(i.spec.split('/')[0]));
/** Code that runs in the WeChat client or the browser, and the folder it may import from freely. */
const clientHome = (file: string): string | undefined => ['miniprogram', 'emulator/console/web'].find((home) => under(file, home));

/** The rules, each a name and the imports that break it. */
export function violations(imports: Import[]): Record<string, string[]> {
  const show = (i: Import): string => `${i.file} imports ${i.spec}`;
  const rule = (pick: (i: Import) => boolean): string[] => imports.filter(pick).map(show);
  return {
    'lib imports neither emulator/ nor scripts/ nor test/': rule((i) => under(i.file, 'lib') && (under(i.target, 'emulator') || under(i.target, 'scripts') || under(i.target, 'test'))),
    'emulator imports neither scripts/ nor test/': rule((i) => under(i.file, 'emulator') && (under(i.target, 'scripts') || under(i.target, 'test'))),
    'cloudfunctions import only lib/': rule((i) => under(i.file, 'cloudfunctions') && i.target !== undefined && !under(i.target, 'lib') && !under(i.target, dirname(i.file))),
    'lib/contract is pure: no Node module, nothing outside lib/contract': rule((i) => under(i.file, 'lib/contract') && (isNodeOnly(i) || (i.target !== undefined && !under(i.target, 'lib/contract')))),
    'the mini-program and the console page take no Node module and from lib/ only lib/contract': rule((i) => {
      const home = clientHome(i.file);
      return home !== undefined && (isNodeOnly(i) || (i.target !== undefined && !under(i.target, home) && !under(i.target, 'lib/contract')));
    }),
  };
}

test('imports run one way: scripts → emulator → lib; cloudfunctions → lib; mini-program and console page → lib/contract', () => {
  const files = sources();
  expect(files.length).toBeGreaterThan(100);
  const found = violations(importsOf(files, (f) => readFileSync(join(REPO, f), 'utf8')));
  expect(found).toEqual(Object.fromEntries(Object.keys(found).map((name) => [name, []])));
});

test('each rule catches what it names', () => {
  const files: Record<string, string> = {
    'lib/orders/bad.ts': "import { startLocalStack } from '../../scripts/local/stack';\nimport { createApp } from '../../emulator/wechat';",
    'emulator/console/bad.ts': "import { adminWire } from '../../scripts/local/stack';",
    'cloudfunctions/x/index.ts': "import { startWechatSimulator } from '../../emulator/wechat';",
    'lib/contract/bad.ts': "import { randomBytes } from 'node:crypto';\nimport { AppError } from '../errors';",
    'miniprogram/services/bad.ts': "import { readFileSync } from 'fs';\nimport { reconcile } from '../../lib/orders/reconcile';",
    'emulator/console/web/bad.tsx': "import { COLLECTIONS } from '../../../lib/store/collections';",
    'miniprogram/pages/ok/index.ts': "import { formatPrice } from '../../../lib/contract/money';\nimport { api } from '../../services/api';",
  };
  const found = violations(importsOf(Object.keys(files), (f) => files[f]));
  expect(Object.values(found).map((v) => v.length)).toEqual([2, 1, 1, 2, 3]);
  expect(Object.values(found).flat().some((v) => v.startsWith('miniprogram/pages/ok'))).toBe(false);
});
