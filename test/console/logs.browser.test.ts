// The console's Function logs view in real headless Chromium against the real stack: lines the
// functions wrote (kept per function by the CloudBase emulator) appear, and the filter narrows them.
import type { Browser, Page } from 'playwright-core';
import { consoleInBrowser } from './browser';
import { type ConsoleFixture } from './stack';

let fx: ConsoleFixture;
let browser: Browser;
let page: Page;
jest.setTimeout(60_000);

consoleInBrowser(async (f, b) => {
  [fx, browser] = [f, b];
  page = await browser.newPage();
  page.setDefaultTimeout(15_000);
}, { timeoutMs: 90_000 });

test('function log lines show in the console, newest first, and the function filter keeps only that function', async () => {
  const { outTradeNo } = await fx.harness.call('createOrder', { items: [{ productId: 'tea', quantity: 1 }] }, 'o-logs-1');
  const { transactions } = await fx.harness.sim('GET', '/__sim/transactions');
  await fx.harness.sim('POST', '/__sim/pay', { prepay_id: transactions.find((t: any) => t.out_trade_no === outTradeNo).prepay_id });
  await fx.harness.waitFor('paid', async () => (await fx.harness.order(outTradeNo)).status === 'SUCCESS');
  await fx.harness.trigger('queryOrder');
  const kept = (await (await fetch(`${fx.harness.stack.cloudbaseUrl}/__emulator/logs`)).json()) as { functions: string[] };
  expect(kept.functions.length).toBeGreaterThanOrEqual(2);

  await page.goto(`${fx.console.url}/#/logs`);
  const lines = page.getByTestId('log-line');
  await lines.filter({ hasText: outTradeNo }).first().waitFor();
  const shown = async () => lines.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-function')));
  expect(new Set(await shown()).size).toBeGreaterThanOrEqual(2);

  const [one, other] = kept.functions;
  await page.getByTestId('log-function').selectOption(one);
  // (page functions as strings: the test's TypeScript has no DOM types)
  const rows = `[...document.querySelectorAll('[data-testid="log-line"]')].map((r) => r.getAttribute('data-function'))`;
  await page.waitForFunction(`(${rows}).length > 0 && (${rows}).every((f) => f === ${JSON.stringify(one)})`);
  expect(await shown()).not.toContain(other);
  await page.getByTestId('log-function').selectOption('');
  await page.waitForFunction(`new Set(${rows}).size >= 2`);
});
