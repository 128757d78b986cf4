/**
 * `npm run screenshots`: the web console's main views as PNGs in docs/screenshots/, taken in real
 * headless Chromium (CHROMIUM_PATH, a system Chromium or the packaged one: scripts/local/browser.ts) against a throwaway local
 * stack with a few orders in telling states, once per language: zh-CN (the default) in
 * docs/screenshots/, English in docs/screenshots/en/ (the browser's locale picks the console's
 * language). Everything stays on 127.0.0.1, fonts included (the bundled Noto Sans SC).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chinaDateOf, dayWindow } from '../lib/bills/days';
import { REPO_ROOT } from './build/functions';
import { launchChromium } from './local/browser';
import { startLocalStack, type LocalStack } from './local/stack';
import { en } from '../emulator/console/web/i18n/en';
import { zhCN } from '../emulator/console/web/i18n/zh-CN';

const OUT_DIR = join(REPO_ROOT, 'docs', 'screenshots');
const LANGS = [
  { locale: 'zh-CN', dir: OUT_DIR, texts: zhCN },
  { locale: 'en-US', dir: join(OUT_DIR, 'en'), texts: en },
];


async function post(url: string, body?: unknown): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

/** Orders in each interesting state, made through the same interfaces a developer uses. */
async function scenario(stack: LocalStack, consoleUrl: string): Promise<string> {
  const create = async (openid: string, productId: string, quantity: number): Promise<string> =>
    (await post(`${consoleUrl}/api/functions/createOrder`, { openid, data: { items: [{ productId, quantity }] } })).result.outTradeNo;
  const pay = (outTradeNo: string, result = 'SUCCESS') => post(`${consoleUrl}/api/pay`, { outTradeNo, result });
  const paid = await create('o-alice', 'coffee', 2);
  await pay(paid);
  await pay(await create('o-bob', 'tea', 1), 'FAIL');
  await create('o-carol', 'cake', 1);
  // A notification lost in transit: paid at WeChat Pay, waiting for its retry.
  await post(`${consoleUrl}/api/faults/simulator`, { dropNotifications: 1 });
  await pay(await create('o-dave', 'coffee', 1));
  await stack.simulator.state.settled(0);
  await post(`${consoleUrl}/api/faults/simulator`, { signProbe: true });
  return paid;
}

/**
 * A day of bill reconciliation with something to show: one paid order's amount changed in WeChat
 * Pay's ledger (a discrepancy), WeChat Pay's clock moved past 10:00 the next day (the bill is ready),
 * the day run through the console's Run action. Done after the other views: the clock moves.
 */
async function billScenario(stack: LocalStack, consoleUrl: string, paid: string): Promise<string> {
  const sim = (path: string, body?: unknown) => post(`${stack.simulatorUrl}/__sim${path}`, body);
  const [order] = await stack.admin.find('orders', { _id: paid });
  await sim('/ledger/amount', { out_trade_no: paid, total: (order.amount as { total: number }).total - 100 });
  const now = ((await (await fetch(`${stack.simulatorUrl}/__sim/clock`)).json()) as { now: number }).now;
  const day = chinaDateOf(now);
  await sim('/clock', { advanceSeconds: (dayWindow(day).end + 10 * 3600_000 + 60_000 - now) / 1000 });
  await post(`${consoleUrl}/api/bills/run`, { billDate: day });
  return day;
}

async function shoot(page: Page, dir: string, live: string, url: string, name: string, ready: string): Promise<void> {
  await page.goto(url);
  await page.locator(ready).first().waitFor();
  await page.getByTestId('live').filter({ hasText: live }).waitFor();
  // Every glyph drawn before the picture: the CJK font arrives in unicode-range pieces.
  await page.evaluate('document.fonts.ready');
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`  ${file.slice(REPO_ROOT.length + 1)}  ${(statSync(file).size / 1024).toFixed(0)} KiB`);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-shots-'));
  const stack = await startLocalStack({ dataDir, cloudbasePort: 0, simulatorPort: 0, console: 0, timeScale: 1, log: () => undefined });
  const browser = await launchChromium();
  try {
    const url = stack.consoleUrl!;
    const paid = await scenario(stack, url);
    for (const { locale, dir, texts } of LANGS) {
      mkdirSync(dir, { recursive: true });
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale });
      const at = (hash: string, name: string, ready: string) => shoot(page, dir, texts['app.live'], `${url}/#/${hash}`, name, ready);
      console.log(`Screenshots (${locale}):`);
      await at('orders', 'orders', '[data-testid="orders-table"]');
      await at(`orders/${paid}`, 'order', '[data-testid="history"]');
      await page.getByText(texts['notes.payload']).first().click();
      await page.locator('[data-testid^="notification-"]').first().scrollIntoViewIfNeeded();
      await page.evaluate('document.fonts.ready');
      await page.screenshot({ path: join(dir, 'order-notification.png') });
      console.log(`  ${join(dir, 'order-notification.png').slice(REPO_ROOT.length + 1)}`);
      await at('notifications', 'notifications', '[data-testid="attempts"]');
      await at('transactions', 'ledger', '[data-testid="transactions-table"]');
      await at('collections/payment_events', 'collections', '[data-testid="collections"] a');
      await at('controls', 'controls', '[data-testid="sim-faults"]');
      await at('logs', 'logs', '[data-testid="log-line"]');
      await page.close();
    }
    const day = await billScenario(stack, url, paid);
    for (const { locale, dir, texts } of LANGS) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale });
      console.log(`Screenshots (${locale}, bills):`);
      await shoot(page, dir, texts['app.live'], `${url}/#/bills/${day}`, 'bills', '[data-testid="bill-discrepancies-table"]');
      await page.close();
    }
  } finally {
    await browser.close();
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`screenshots failed: ${(err as Error).message}`);
  process.exit(1);
});
