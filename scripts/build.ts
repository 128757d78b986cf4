/** `npm run build`: the cloud functions (upload-ready folders) and the mini-program. */
import { buildMiniprogram, miniprogramOptionsFromEnv } from './build-miniprogram';
import { buildFunctions } from './build/functions';

async function main(): Promise<void> {
  const functions = await buildFunctions();
  for (const fn of functions) console.log(`cloudfunctions/${fn.name}/index.js  ${(fn.bytes / 1024).toFixed(0)} KiB`);
  // buildMiniprogram prints its own size line.
  await buildMiniprogram(miniprogramOptionsFromEnv());
}

main().catch((err) => {
  console.error(`build failed: ${(err as Error).message}`);
  process.exit(1);
});
