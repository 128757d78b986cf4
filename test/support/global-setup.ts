/** jest globalSetup: the browser check (browser-check.ts) and this run's dev merchant (run-credentials.ts). */
import checkBrowser from './browser-check';
import { createRunCredentials } from './run-credentials';

export default function globalSetup(globalConfig: Parameters<typeof checkBrowser>[0]): void {
  checkBrowser(globalConfig);
  createRunCredentials();
}
