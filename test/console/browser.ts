/**
 * Real headless Chromium driven by playwright-core: a system or CHROMIUM_PATH browser when there is
 * one, else the Chromium packaged in the @sparticuz/chromium devDependency (scripts/local/browser.ts).
 */
export { launchChromium, CHROMIUM_ARGS } from '../../scripts/local/browser';
