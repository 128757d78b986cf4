/** `npm run build`: the cloud functions (upload-ready folders) and the mini-program. */
import { relative } from 'node:path';
import { buildMiniprogram, miniprogramOptionsFromEnv } from './build/miniprogram';
import { DEVTOOLS_FUNCTIONS_DIR, stageForDevTools, writeDevToolsPrivateConfig } from './build/devtools';
import { buildFunctions, FUNCTIONS_DIR, REPO_ROOT } from './build/functions';
import { cliArgs, t } from './i18n';

async function main(): Promise<void> {
  cliArgs();
  const functions = await buildFunctions();
  for (const fn of functions) console.log(`cloudfunctions/${fn.name}/index.js  ${(fn.bytes / 1024).toFixed(0)} KiB`);
  stageForDevTools(FUNCTIONS_DIR, functions.map((fn) => fn.name));
  console.log(t('build.staged', { dir: relative(REPO_ROOT, DEVTOOLS_FUNCTIONS_DIR) }));
  // buildMiniprogram prints its own size line.
  const mpOptions = miniprogramOptionsFromEnv();
  await buildMiniprogram(mpOptions);
  writeDevToolsPrivateConfig(mpOptions.target === 'local' ? 'local' : 'cloud');
}

main().catch((err) => {
  console.error(t('build.failed', { message: (err as Error).message }));
  process.exit(1);
});
