/**
 * jest globalSetup: when the run includes a browser test, decide once (without launching) that a
 * Chromium can be had, so a machine without one gets one message saying what to install instead of
 * a stack trace per browser test.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BrowserNotFound, chooseChromium } from '../../scripts/local/browser';

interface SetupConfig {
  rootDir: string;
  testPathPatterns?: { patterns?: string[] };
}

function browserTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? browserTests(join(dir, e.name)) : e.name.endsWith('.browser.test.ts') ? [join(dir, e.name)] : [],
  );
}

export default function checkBrowser(globalConfig: SetupConfig): void {
  const patterns = globalConfig.testPathPatterns?.patterns ?? [];
  const files = browserTests(join(globalConfig.rootDir, 'test'));
  const selected = patterns.length === 0 ? files : files.filter((f) => patterns.some((p) => new RegExp(p, 'i').test(f)));
  if (selected.length === 0) return;
  try {
    chooseChromium();
  } catch (err) {
    if (!(err instanceof BrowserNotFound)) throw err;
    const quiet = new Error(`\n${err.message}\n`);
    quiet.stack = quiet.message;
    throw quiet;
  }
}
