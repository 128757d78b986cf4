/**
 * jest globalSetup: the browser check (browser-check.ts), this run's dev merchant (run-credentials.ts),
 * and the functions' local bundles. Built here once, before any suite starts: on a fresh clone the
 * first stacks of the parallel suites (chaos, secrets, …) would otherwise each run the same cold
 * esbuild build at the same moment. Later builds find them fresh (scripts/build/cache.ts).
 */
import checkBrowser from './browser-check';
import { createRunCredentials } from './run-credentials';
import { buildFunctions } from '../../scripts/build/functions';

export default async function globalSetup(globalConfig: Parameters<typeof checkBrowser>[0]): Promise<void> {
  checkBrowser(globalConfig);
  createRunCredentials();
  await buildFunctions({ local: true });
}
