/**
 * The local build's cache (scripts/build/cache.ts) with real esbuild: an unchanged function is not
 * rebuilt (its bundle is not rewritten and the record still holds); an edit to any file it imports,
 * a bundle changed on disk, or other build options make esbuild run again, and the bundle on disk is
 * always the one the current sources give. The production build never consults the cache.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions } from '../../scripts/build/functions';

jest.setTimeout(60_000);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wxcloud-pay-build-cache-'));
const functionsDir = path.join(root, 'cloudfunctions');
const helper = path.join(root, 'shared', 'word.ts');
const bundle = path.join(functionsDir, 'hello', 'index.js');

const mtime = (f: string): number => fs.statSync(f).mtimeMs;
/** The bundle on disk now, evaluated afresh (jest's module registry would keep the first one). */
const load = (): { main: () => string } => {
  const mod = { exports: {} as { main: () => string } };
  new Function('module', 'exports', fs.readFileSync(bundle, 'utf8'))(mod, mod.exports);
  return mod.exports;
};

beforeAll(() => {
  fs.mkdirSync(path.join(functionsDir, 'hello'), { recursive: true });
  fs.mkdirSync(path.dirname(helper), { recursive: true });
  fs.writeFileSync(path.join(functionsDir, 'hello', 'index.ts'), `import { word } from '../../shared/word';\nexport function main(): string { return word; }\n`);
  fs.writeFileSync(helper, `export const word = 'one';\n`);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('an unchanged function is served from the last build; an edited import, a touched bundle or other options rebuild it', async () => {
  await buildFunctions({ functionsDir, local: true });
  expect(load().main()).toBe('one');
  // A whole-second mtime can be put back exactly. The bundle's mtime moved, so this build is not
  // fresh: esbuild runs, finds the same bytes (the file is left alone) and records that mtime.
  const second = Math.floor(Date.now() / 1000) - 60;
  fs.utimesSync(bundle, second, second);
  const [first] = await buildFunctions({ functionsDir, local: true });
  expect(mtime(bundle)).toBe(second * 1000);

  // Nothing changed: proof that esbuild does not run is a bundle edited by hand, with its size and
  // mtime kept, that survives the next build.
  fs.writeFileSync(bundle, fs.readFileSync(bundle, 'utf8').replace('"one"', '"ONE"'));
  fs.utimesSync(bundle, second, second);
  const [again] = await buildFunctions({ functionsDir, local: true });
  expect(again.bytes).toBe(first.bytes);
  expect(load().main()).toBe('ONE');

  // The bundle changed on disk (its mtime moved): rebuilt from the sources.
  fs.utimesSync(bundle, second + 5, second + 5);
  await buildFunctions({ functionsDir, local: true });
  expect(load().main()).toBe('one');

  // A file the function imports changed, even with the same size: rebuilt.
  fs.writeFileSync(helper, `export const word = 'two';\n`);
  await buildFunctions({ functionsDir, local: true });
  expect(load().main()).toBe('two');

  // Other options (unminified) are another build, not the cached one.
  await buildFunctions({ functionsDir, local: true, minify: false });
  expect(fs.readFileSync(bundle, 'utf8')).toContain('function main()');
});

test('the production build ignores the cache: it always runs esbuild and leaves no source map', async () => {
  await buildFunctions({ functionsDir, local: true });
  const built = fs.readFileSync(bundle, 'utf8');
  fs.writeFileSync(bundle, built.replace(/"(one|two)"/, '"stale"'));
  const [prod] = await buildFunctions({ functionsDir });
  expect(load().main()).toBe('two');
  expect(prod.bytes).toBe(fs.statSync(bundle).size);
  expect(fs.existsSync(`${bundle}.map`)).toBe(false);
});
