// The console follows the browser's language: zh-CN by default (and for a Chinese browser), English
// for an English one; technical identifiers (status values, field names) stay as WeChat writes them.
import type { Browser } from 'playwright-core';
import { en } from '../../emulator/console/web/i18n/en';
import { zhCN } from '../../emulator/console/web/i18n/zh-CN';
import { consoleInBrowser } from './browser';
import { type ConsoleFixture } from './stack';

let fx: ConsoleFixture;
let browser: Browser;
jest.setTimeout(45_000);

consoleInBrowser((f, b) => void ([fx, browser] = [f, b]));

const CASES = [
  { locale: 'zh-CN', texts: zhCN, html: 'zh-CN', tab: '订单', faults: '故障注入 — 微信支付模拟器' },
  { locale: 'fr-FR', texts: zhCN, html: 'zh-CN', tab: '订单', faults: '故障注入 — 微信支付模拟器' },
  { locale: 'en-US', texts: en, html: 'en', tab: 'Orders', faults: 'Fault injection — WeChat Pay simulator' },
];

test.each(CASES)('browser $locale: tabs, empty state, fault toggles and live badge in $html', async ({ locale, texts, html, tab, faults }) => {
  const page = await browser.newPage({ locale });
  try {
    page.setDefaultTimeout(15_000);
    await page.goto(`${fx.console.url}/#/notifications`);
    await page.getByTestId('live').filter({ hasText: texts['app.live'] }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe(html);
    expect(await page.getByTestId('tab-orders').innerText()).toBe(tab);
    await page.getByText(texts['notes.empty']).waitFor();
    await page.goto(`${fx.console.url}/#/controls`);
    await page.getByText(faults).waitFor();
    await page.getByText(texts['faults.drop']).waitFor();
    // the error code inside the toggle's words stays WeChat's
    await page.getByText(texts['faults.systemError']).filter({ hasText: 'SYSTEM_ERROR' }).waitFor();
  } finally {
    await page.close();
  }
});

// Chromium left text blank when it was laid out while its unicode-range piece of the CJK font was
// still loading (the active tab "订单" and the headings of the first view, in the zh-CN screenshots):
// the DOM said 订单, the picture showed nothing. Which font actually drew each glyph is asked of
// the browser (CDP CSS.getPlatformFontsForNode): the bundled Noto Sans SC, for both weights.
test('zh-CN: the first view\'s Chinese (active tab, bold headings) is drawn with the bundled Noto Sans SC', async () => {
  const page = await browser.newPage({ locale: 'zh-CN' });
  try {
    page.setDefaultTimeout(15_000);
    await page.goto(`${fx.console.url}/#/orders`);
    await page.getByTestId('live').filter({ hasText: zhCN['app.live'] }).waitFor();
    await page.locator('.card h2').first().waitFor();
    await page.evaluate('document.fonts.ready');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = (await cdp.send('DOM.getDocument')) as { root: { nodeId: number } };
    const drawnWith = async (selector: string): Promise<string[]> => {
      const { nodeId } = (await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector })) as { nodeId: number };
      const { fonts } = (await cdp.send('CSS.getPlatformFontsForNode', { nodeId })) as { fonts: { familyName: string; isCustomFont: boolean }[] };
      return fonts.map((f) => `${f.isCustomFont ? 'web' : 'system'}:${f.familyName}`);
    };
    expect(await page.locator('.top nav a.active').innerText()).toBe(zhCN['tab.orders']);
    for (const selector of ['.top nav a.active', '.card h2', '.top nav a:nth-child(2)']) {
      const fonts = await drawnWith(selector);
      expect({ selector, fonts }).toEqual({ selector, fonts: [expect.stringMatching(/^web:Noto Sans SC/)] });
    }
  } finally {
    await page.close();
  }
});
