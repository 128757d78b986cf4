// The console in real headless Chromium against the real local stack: live updates from a function
// call, paying as the customer, the notification with its decrypted payload, faults that bite.
import type { Browser, Page } from 'playwright-core';
import { consoleInBrowser } from './browser';
import { CONSOLE_STAFF, finishRefunds, type ConsoleFixture } from './stack';

let fx: ConsoleFixture;
let browser: Browser;
let page: Page;
// Generous ceilings for a loaded CI machine; a passing run takes a few seconds per test.
jest.setTimeout(45_000);

consoleInBrowser((f, b) => void ([fx, browser] = [f, b]));
beforeEach(async () => {
  page = await browser.newPage({ locale: 'en-US' }); // the English texts below; lang.browser.test.ts covers zh-CN
  page.setDefaultTimeout(15_000);
});
afterEach(async () => {
  await page.close();
  await fx.harness.sim('POST', '/__sim/faults', {});
});

const createOrder = async (openid: string): Promise<string> =>
  (await fx.harness.call('createOrder', { items: [{ productId: 'coffee', quantity: 2 }] }, openid)).outTradeNo;

test('an order created by a function call appears live; paying it from the console turns it SUCCESS with its notification', async () => {
  await page.goto(`${fx.console.url}/#/orders`);
  await page.getByTestId('live').filter({ hasText: 'live' }).waitFor();
  // Created outside the browser, through POST /functions/createOrder: no reload.
  const no = await createOrder('o-browser-1');
  const row = page.getByTestId(`order-row-${no}`);
  await row.getByTestId('badge').filter({ hasText: 'NOTPAY' }).waitFor();
  await row.getByRole('link', { name: no }).click();
  await page.getByTestId('order-status').filter({ hasText: 'NOTPAY' }).waitFor();
  await page.getByTestId('pay').click();
  await page.getByTestId('flash').filter({ hasText: 'requestPayment:ok' }).waitFor();
  await page.getByTestId('order-status').filter({ hasText: 'SUCCESS' }).waitFor();
  const note = page.locator('[data-testid^="notification-"]');
  await note.and(page.locator('[data-state="delivered"]')).waitFor();
  await expectText(note.getByTestId('attempts'), /delivered\s*204/);
  await note.getByText('Decrypted payload').click();
  const payload = JSON.parse(await note.locator('pre.json').innerText());
  expect(payload).toMatchObject({ out_trade_no: no, trade_state: 'SUCCESS', amount: { total: 3600 }, payer: { openid: 'o-browser-1' } });
  // The history shows the transition and the audit-log records.
  await expectText(page.getByTestId('history'), /NOTPAY → SUCCESS[\s\S]*notify/);
  expect((await fx.harness.order(no)).status).toBe('SUCCESS');
});

test('the drop fault toggled in the console takes effect; resending after clearing it delivers', async () => {
  await page.goto(`${fx.console.url}/#/controls`);
  await page.getByTestId('fault-drop').check();
  await page.getByTestId('flash').filter({ hasText: 'Set WeChat Pay faults' }).waitFor();
  expect((await fx.harness.sim('GET', '/__sim/faults')).faults).toEqual({ dropNotifications: 1 });

  // Create and pay from the console (the customer form and the row's Pay button).
  await page.getByTestId('tab-orders').click();
  await page.getByTestId('openid').fill('o-browser-2');
  await page.getByRole('button', { name: 'Call createOrder' }).click();
  const flash = await page.getByTestId('flash').filter({ hasText: 'createOrder: order' }).innerText();
  const no = /order (\w+)/.exec(flash)![1];
  await page.getByTestId(`order-row-${no}`).getByTestId('pay').click();
  await page.getByTestId('flash').filter({ hasText: 'requestPayment:ok' }).waitFor();

  // WeChat Pay took the money, but the notification was lost: the order is still NOTPAY, a retry is due.
  await page.getByTestId('tab-notifications').click();
  const card = page.locator('[data-testid^="notification-"]').filter({ hasText: no });
  await card.locator('tr[data-outcome="dropped"]').waitFor();
  await card.getByTestId('next-attempt').waitFor();
  expect((await fx.harness.order(no)).status).toBe('NOTPAY');

  await page.getByTestId('tab-controls').click();
  // The view shows the server's fault set once its fetch answers; unchecking before that is a no-op.
  await page.locator('[data-testid="fault-drop"]:checked').waitFor();
  await page.getByTestId('fault-drop').uncheck();
  await page.getByTestId('flash').filter({ hasText: 'Set WeChat Pay faults' }).waitFor();
  await page.getByTestId('tab-notifications').click();
  await card.getByTestId('resend').click();
  await card.and(page.locator('[data-state="delivered"]')).waitFor();
  await expectText(card.getByTestId('attempts'), /manual\s*delivered\s*204/);
  await fx.harness.waitFor('order paid', async () => (await fx.harness.order(no)).status === 'SUCCESS');
});

test('the refunds collection filters by refund status, and a refund moves from PROCESSING to SUCCESS live', async () => {
  const no = await createOrder('o-browser-4');
  const { transactions } = await fx.harness.sim('GET', '/__sim/transactions');
  await fx.harness.sim('POST', '/__sim/pay', { prepay_id: transactions.find((t: any) => t.out_trade_no === no).prepay_id });
  await fx.harness.waitFor('order SUCCESS', async () => (await fx.harness.order(no))?.status === 'SUCCESS');
  const made = await fx.harness.call('refundOrder', { outTradeNo: no, reason: 'Browser test' }, CONSOLE_STAFF);
  const refundNo = made.refund.outRefundNo as string;

  await page.goto(`${fx.console.url}/#/collections/refunds`);
  const filter = page.getByTestId('collection-status-filter');
  await filter.locator('option[value="ABNORMAL"]').waitFor({ state: 'attached' });
  expect(await filter.locator('option').allInnerTexts()).toEqual(['all', 'PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL']);
  await filter.selectOption('ABNORMAL');
  await page.getByText('No refunds with status ABNORMAL.').waitFor();
  // WeChat Pay (real time here) finishes the refund 5 s later (the clock moves on by them); the SUCCESS list picks it up live.
  await filter.selectOption('SUCCESS');
  await finishRefunds(fx);
  await page.getByTestId('docs-table').getByRole('link', { name: refundNo }).waitFor();
  await filter.selectOption('PROCESSING');
  await page.getByText('No refunds with status PROCESSING.').waitFor();
});

test('the database write fault makes createOrder fail visibly; the reconciliation timer and reset work', async () => {
  await page.goto(`${fx.console.url}/#/controls`);
  await page.getByTestId('fault-db-writes').check();
  await page.getByTestId('flash').filter({ hasText: 'Set database faults' }).waitFor();
  await page.getByTestId('tab-orders').click();
  await page.getByRole('button', { name: 'Call createOrder' }).click();
  await page.getByTestId('flash').filter({ hasText: 'createOrder failed' }).waitFor();

  await page.getByTestId('tab-controls').click();
  // The toggle shows the server's state (the fault is still on) before it can be switched off.
  expect(await page.getByTestId('fault-db-writes').isChecked()).toBe(true);
  await page.getByTestId('fault-db-writes').uncheck();
  await page.getByTestId('flash').filter({ hasText: 'Set database faults' }).waitFor();
  await createOrder('o-browser-3');
  await page.getByTestId('fire-reconcile').click();
  await page.getByTestId('flash').filter({ hasText: /Reconciliation.*"checked":\d+/ }).waitFor();

  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('reset').click();
  await page.getByTestId('flash').filter({ hasText: 'Reset: done' }).waitFor();
  await page.getByTestId('tab-orders').click();
  await page.getByText('No orders').waitFor();
  expect(await fx.harness.stack.admin.count('orders')).toBe(0);
  expect((await fx.harness.sim('GET', '/__sim/transactions')).transactions).toEqual([]);
});

async function expectText(locator: ReturnType<Page['locator']>, pattern: RegExp): Promise<void> {
  await locator.filter({ hasText: pattern }).waitFor();
}
