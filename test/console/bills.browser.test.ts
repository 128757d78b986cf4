// The console's Bills tab in real headless Chromium against the real local stack: a day with a paid
// and a tampered order (the simulator's ledger says ¥17.00, our order ¥18.00). Run pressed before
// the bill exists → NOT_READY; the bill ready and reconciled from outside the page (as the CLI or the
// timer would) → the row turns DISCREPANCIES live, without a reload; the day shows the discrepancy
// with both amounts in ¥ and a link to the order. In Chinese for a Chinese browser.
import type { Browser, Page } from 'playwright-core';
import { chinaDate, chinaMidnight } from '../../emulator/wechat/bills/ledger';
import { zhCN } from '../../emulator/console/web/i18n/zh-CN';
import { paidOrder } from '../refunds/helpers';
import { consoleInBrowser } from './browser';
import { type ConsoleFixture } from './stack';

let fx: ConsoleFixture;
let browser: Browser;
let page: Page;
let day: string;
let tampered: string;
jest.setTimeout(60_000);

consoleInBrowser(async (f, b) => {
  [fx, browser] = [f, b];
  await paidOrder(fx.harness, [{ productId: 'coffee', quantity: 2 }]);
  tampered = (await paidOrder(fx.harness, [{ productId: 'coffee', quantity: 1 }]))._id;
  await fx.harness.sim('POST', '/__sim/ledger/amount', { out_trade_no: tampered, total: 1700 });
  day = chinaDate((await fx.harness.sim('GET', '/__sim/clock')).now);
});
afterEach(() => page?.close());

test('run a day from the console, see it reconciled live, open its discrepancy', async () => {
  page = await browser.newPage({ locale: 'en-US' });
  page.setDefaultTimeout(20_000);
  await page.goto(`${fx.console.url}/#/bills`);
  await page.getByTestId('live').filter({ hasText: 'live' }).waitFor();
  await page.getByText('No reconciliation yet').waitFor();

  // Before 10:00 China time the next day (WeChat Pay's clock) the bill is still being generated.
  await page.getByTestId('bill-date').fill(day);
  await page.getByTestId('bill-run').click();
  await page.getByTestId('flash').filter({ hasText: `${day} reconciled NOT_READY` }).waitFor();
  await page.getByTestId('bill-day-status').filter({ hasText: 'NOT_READY' }).waitFor();
  await page.getByText('WeChat Pay is still generating the bill').waitFor();
  const row = page.getByTestId(`bill-row-${day}`);
  await row.getByTestId('bill-status').filter({ hasText: 'NOT_READY' }).waitFor();

  // The bill is ready; someone else reconciles the day (the CLI, the timer): the page follows.
  const clock = await fx.harness.sim('GET', '/__sim/clock');
  await fx.harness.sim('POST', '/__sim/clock', { advanceSeconds: (chinaMidnight(day) + 34 * 3600_000 + 60_000 - clock.now) / 1000 });
  const marker = await page.evaluate('window.__sameDocument = true');
  expect(marker).toBe(true);
  const outside = await fx.harness.call('reconcileBill', { action: 'run', billDate: day }, fx.harness.stack.staffOpenid);
  expect(outside.day.status).toBe('DISCREPANCIES');
  await row.getByTestId('bill-status').filter({ hasText: 'DISCREPANCIES' }).waitFor();
  expect(await row.getByTestId('bill-matched').innerText()).toBe('1');
  expect(await row.getByTestId('bill-discrepancies').innerText()).toBe('1');
  expect(await page.evaluate('window.__sameDocument')).toBe(true); // live, not a reload

  const discrepancy = page.getByTestId('bill-discrepancy');
  await discrepancy.filter({ hasText: 'AMOUNT_MISMATCH' }).waitFor();
  expect(await discrepancy.count()).toBe(1);
  expect(await discrepancy.getByTestId('bill-side').innerText()).toContain('¥17.00');
  expect(await discrepancy.getByTestId('our-side').innerText()).toContain('¥18.00');
  expect(await discrepancy.getByTestId('bill-detail').innerText()).toBe('the bill says ¥17.00, ours says ¥18.00');
  expect(await page.getByTestId('bill-totals').innerText()).toContain('gross ¥53.00'); // 36.00 + 17.00, the bill's own view
  expect(await page.getByTestId('bill-ours').innerText()).toContain('gross ¥54.00');
  await discrepancy.getByRole('link', { name: tampered }).click();
  await page.getByTestId('order-status').filter({ hasText: 'SUCCESS' }).waitFor();
  expect(page.url()).toContain(`#/orders/${tampered}`);
});

test('in Chinese for a Chinese browser: the tab, the status sentence, the discrepancy kind and a stopped run\'s resume point', async () => {
  page = await browser.newPage({ locale: 'zh-CN' });
  page.setDefaultTimeout(20_000);
  await page.goto(`${fx.console.url}/#/bills/${day}`);
  expect(await page.getByTestId('tab-bills').innerText()).toBe(zhCN['tab.bills']);
  await page.getByText(zhCN['bills.status.DISCREPANCIES']).waitFor();
  await page.getByTestId('bill-discrepancy').filter({ hasText: zhCN['bills.kind.AMOUNT_MISMATCH'] }).waitFor();
  expect(await page.getByTestId('bill-detail').innerText()).toBe('账单金额 ¥17.00，我方金额 ¥18.00');
  await page.getByRole('button', { name: zhCN['bills.run'] }).waitFor();

  // A run stopped at its time budget (RUNNING, as lib/bills stores it): where the next run resumes.
  const stopped = '2026-11-20';
  await fx.harness.stack.admin.insert('bill_reconciliations', [{
    _id: stopped, billDate: stopped, status: 'RUNNING', matched: 4000, healedCount: 0, healed: [], discrepancyCount: 0, discrepancies: [], shifted: 0, runs: 1,
    updatedAt: new Date(), leaseUntil: new Date(0), progress: { cursor: 4000, hash: 'x', matched: 4000, payments: 4000, refunds: 0, healOrders: [], healRefunds: [], discrepancyCount: 0, discrepancies: [], ours: { paidCount: 0, grossFen: 0, refundCount: 0, refundFen: 0, netFen: 0 } },
  }]);
  await page.goto(`${fx.console.url}/#/bills/${stopped}`);
  await page.getByTestId('bill-cursor').filter({ hasText: '已核对 4000 行，下次运行从这里继续' }).waitFor();
  await page.getByText(zhCN['bills.status.RUNNING']).waitFor();
});
