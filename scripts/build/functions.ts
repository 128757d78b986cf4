/**
 * Bundles each cloud function (cloudfunctions/<name>/index.ts) with esbuild into the index.js that
 * WeChat DevTools uploads as it is ("upload all files"): cjs, node16, wx-server-sdk included, so
 * no cloud-side `npm install` is needed. package.json and config.json stay beside it.
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { BuildCache, buildKey } from './cache';

export const REPO_ROOT = join(__dirname, '..', '..');
export const FUNCTIONS_DIR = join(REPO_ROOT, 'cloudfunctions');
/** Records of local builds (cache.ts); under node_modules so that npm ci starts them afresh. */
const LOCAL_BUILD_CACHE = new BuildCache(join(REPO_ROOT, 'node_modules', '.cache', 'wxcloud-pay-build'));

export interface BuiltFunction {
  name: string;
  outfile: string;
  bytes: number;
}

export function listFunctionNames(functionsDir = FUNCTIONS_DIR): string[] {
  return readdirSync(functionsDir)
    .filter((name) => existsSync(join(functionsDir, name, 'index.ts')))
    .sort();
}

/** How one function is bundled (shared by the build and the tests that inspect a bundle in memory). */
export function functionBuildOptions(functionsDir: string, name: string, minify = true): BuildOptions {
  return {
    entryPoints: [join(functionsDir, name, 'index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node16',
    format: 'cjs',
    minify,
    sourcemap: false,
    legalComments: 'none',
    // Optional colour support of a logging dependency; absent in the cloud, harmless.
    external: ['supports-color'],
    logLevel: 'error',
  };
}

/**
 * `local: true` (the local stack) adds a separate source map (index.js.map) so that a function's stack
 * trace names the .ts line (the function host runs node with --enable-source-maps), and skips esbuild
 * for a function whose last local build is still what is on disk (cache.ts); the production build has
 * no map, removes one left by a local build, and always runs esbuild.
 */
export async function buildFunctions(options: { functionsDir?: string; names?: string[]; minify?: boolean; local?: boolean } = {}): Promise<BuiltFunction[]> {
  const functionsDir = options.functionsDir ?? FUNCTIONS_DIR;
  const names = options.names ?? listFunctionNames(functionsDir);
  return Promise.all(
    names.map(async (name): Promise<BuiltFunction> => {
      const outfile = join(functionsDir, name, 'index.js');
      if (!options.local) rmSync(`${outfile}.map`, { force: true });
      // No sourcesContent in the local map: stack traces need only the mappings (the .ts files are on disk),
      // and every function instance parses the map when it starts (--enable-source-maps): 1.5 MB, not 4.4.
      const buildOptions = { ...functionBuildOptions(functionsDir, name, options.minify ?? true), outfile, metafile: true, write: false, sourcemap: options.local ? 'linked' : false, ...(options.local ? { sourcesContent: false } : {}) } satisfies BuildOptions;
      const key = buildKey(buildOptions);
      const cached = options.local ? LOCAL_BUILD_CACHE.freshBytes(outfile, key) : undefined;
      if (cached !== undefined) return { name, outfile, bytes: cached };
      const result = await build(buildOptions);
      for (const out of result.outputFiles) writeIfChanged(out.path, out.contents);
      // The bundle alone (a local build's map is a separate file, never uploaded as code).
      const js = result.outputFiles.find((o) => o.path === outfile);
      const bytes = js ? js.contents.length : outputBytes(result.metafile);
      if (options.local) LOCAL_BUILD_CACHE.remember(outfile, key, bytes, result.metafile, result.outputFiles.map((o) => o.path), process.cwd());
      return { name, outfile, bytes };
    }),
  );
}

/**
 * Function instances load index.js while another stack (a parallel test file, a second `npm start`)
 * may be building: a bundle is replaced by rename, never rewritten in place, so a reader sees the old
 * file or the new one, never half of one; an unchanged bundle is not touched at all (its mtime is what
 * keeps every other stack's build record fresh). The hot reloader writes through this too.
 */
export function writeIfChanged(file: string, contents: Uint8Array): void {
  if (existsSync(file) && Buffer.compare(readFileSync(file), contents) === 0) return;
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

function outputBytes(metafile: Metafile | undefined): number {
  return Object.values(metafile?.outputs ?? {}).reduce((sum, out) => sum + out.bytes, 0);
}
