/**
 * Hot reload for `npm start`: one esbuild incremental context per cloud function, watching everything
 * its bundle is made of (cloudfunctions/<name>/, lib/, …). A save rebuilds only the bundles that use the
 * file; a successful rebuild tells the CloudBase emulator (POST /__emulator/reload), whose next
 * invocations start instances on the new code, with the stack and its data untouched. A build error is
 * printed and nothing is written, so the last good bundle keeps serving.
 */
import { context, formatMessages, type BuildContext, type OutputFile, type Plugin } from 'esbuild';
import { FUNCTIONS_DIR, functionBuildOptions, listFunctionNames, writeIfChanged } from '../build/functions';
import { t } from '../i18n';

export interface Reloader {
  close(): Promise<void>;
}

export interface ReloaderOptions {
  cloudbaseUrl: string;
  functionsDir?: string;
  log: (line: string) => void;
}

async function tellEmulator(cloudbaseUrl: string, name: string): Promise<void> {
  const res = await fetch(`${cloudbaseUrl}/__emulator/reload`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ functions: [name] }),
  });
  if (!res.ok) throw new Error(`the emulator answered ${res.status} to the reload`);
}

/**
 * Written by us, not esbuild (write: false): its watch mode deletes the outputs of a failed rebuild.
 * The first build re-creates the bundles the stack just built, byte for byte: those are left alone,
 * so the local build's records (build/cache.ts) stay fresh for the next stack, `npm start` or test.
 */
function writeOutputs(files: OutputFile[]): void {
  for (const f of files) writeIfChanged(f.path, f.contents);
}

function reporter(name: string, o: ReloaderOptions): Plugin {
  return {
    name: 'wxcloud-pay-reload',
    setup(build) {
      let first = true;
      let started = 0;
      build.onStart(() => {
        started = Date.now();
      });
      build.onEnd(async (result) => {
        if (result.errors.length === 0) writeOutputs(result.outputFiles ?? []);
        // The first build only re-creates what the stack already built.
        if (first && result.errors.length === 0) return void (first = false);
        first = false;
        if (result.errors.length > 0) {
          const text = (await formatMessages(result.errors, { kind: 'error', color: false })).join('').trimEnd();
          o.log(t('reload.buildFailed', { name, text }));
          return;
        }
        try {
          await tellEmulator(o.cloudbaseUrl, name);
          o.log(t('reload.rebuilt', { name, ms: Date.now() - started }));
        } catch (e) {
          o.log(t('reload.notTold', { name, message: (e as Error).message }));
        }
      });
    },
  };
}

export async function startReloader(o: ReloaderOptions): Promise<Reloader> {
  const functionsDir = o.functionsDir ?? FUNCTIONS_DIR;
  const contexts: BuildContext[] = await Promise.all(
    listFunctionNames(functionsDir).map((name) =>
      context({
        ...functionBuildOptions(functionsDir, name, true),
        outfile: `${functionsDir}/${name}/index.js`,
        sourcemap: 'linked',
        // As the local build (functions.ts): mappings only, which each function instance parses at start.
        sourcesContent: false,
        logLevel: 'silent',
        write: false,
        plugins: [reporter(name, o)],
      }),
    ),
  );
  await Promise.all(contexts.map((c) => c.watch()));
  return { close: async () => void (await Promise.all(contexts.map((c) => c.dispose()))) };
}
