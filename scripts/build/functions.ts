/**
 * Bundles each cloud function (cloudfunctions/<name>/index.ts) with esbuild into the index.js that
 * WeChat DevTools uploads as it is ("upload all files"): cjs, node16, wx-server-sdk included, so
 * no cloud-side `npm install` is needed. package.json and config.json stay beside it.
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'fs';
import { join } from 'path';

export const REPO_ROOT = join(__dirname, '..', '..');
export const FUNCTIONS_DIR = join(REPO_ROOT, 'cloudfunctions');

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

export async function buildFunctions(options: { functionsDir?: string; names?: string[]; minify?: boolean } = {}): Promise<BuiltFunction[]> {
  const functionsDir = options.functionsDir ?? FUNCTIONS_DIR;
  const names = options.names ?? listFunctionNames(functionsDir);
  return Promise.all(
    names.map(async (name): Promise<BuiltFunction> => {
      const outfile = join(functionsDir, name, 'index.js');
      const result = await build({ ...functionBuildOptions(functionsDir, name, options.minify ?? true), outfile, metafile: true });
      return { name, outfile, bytes: outputBytes(result.metafile) || statSync(outfile).size };
    }),
  );
}

function outputBytes(metafile: Metafile | undefined): number {
  return Object.values(metafile?.outputs ?? {}).reduce((sum, out) => sum + out.bytes, 0);
}
