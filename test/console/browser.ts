/**
 * Real headless Chromium driven by playwright-core: a system or CHROMIUM_PATH browser when there is
 * one, else the Chromium packaged in the @sparticuz/chromium devDependency (scripts/local/browser.ts).
 */
export { launchChromium, CHROMIUM_ARGS } from '../../scripts/local/browser';

import type { Browser } from 'playwright-core';
import { launchChromium as launch } from '../../scripts/local/browser';
import { startConsoleFixture, type ConsoleFixture } from './stack';

/**
 * The local stack with its console and a headless Chromium for one test file: both started (at
 * once) before the file's tests, `ready` called with them, both closed after the tests (closing the
 * browser closes its pages).
 */
export function consoleInBrowser(
  ready: (fx: ConsoleFixture, browser: Browser) => void | Promise<void>,
  opts: { functionEnv?: Record<string, string>; refundDelaySeconds?: number; timeoutMs?: number } = {},
): void {
  let fx: ConsoleFixture | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [fx, browser] = await Promise.all([startConsoleFixture(opts.functionEnv, { refundDelaySeconds: opts.refundDelaySeconds }), launch()]);
    await ready(fx, browser);
  }, opts.timeoutMs ?? 60_000);
  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });
}
