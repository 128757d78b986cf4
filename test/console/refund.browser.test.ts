// The console's Refund action in real headless Chromium against the real local stack: pay an order
// as the customer, refund part of it and then the rest as merchant staff, and watch the refunds
// turn SUCCESS and the order REFUND live, without a reload.
import type { Browser, Page } from 'playwright-core';
import { LOCAL_STAFF_OPENID } from '../../scripts/local/staff';
import { consoleInBrowser } from './browser';
import { finishRefunds, type ConsoleFixture } from './stack';

let fx: ConsoleFixture;
let browser: Browser;
let page: Page;
// Generous ceilings for a loaded CI machine; WeChat Pay (real time here) finishes a refund 1 s after
// it is asked (the simulator's default is 5 s): still well after the page shows it PROCESSING, and
// once it has, the simulator's clock moves on by that second (finishRefunds).
jest.setTimeout(60_000);

// The timer resubmits a refund WeChat Pay said "not now" to (one minute between refunds of an
// order) as soon as business time allows, not after the default three-minute minimum age.
consoleInBrowser((f, b) => void ([fx, browser] = [f, b]), { functionEnv: { REFUND_RECONCILE_MIN_AGE_SECONDS: '0' }, refundDelaySeconds: 1 });
beforeEach(async () => {
  page = await browser.newPage({ locale: 'en-US' }); // the English texts below; lang.browser.test.ts covers zh-CN
  page.setDefaultTimeout(20_000);
});
afterEach(() => page.close());

test('pay from the console, refund ¥0.29 and then the rest from the console: refunds turn SUCCESS, the order REFUND', async () => {
  await page.goto(`${fx.console.url}/#/orders`);
  await page.getByTestId('live').filter({ hasText: 'live' }).waitFor();
  await page.getByTestId('openid').fill('o-browser-refund');
  await page.getByRole('button', { name: 'Call createOrder' }).click();
  const created = await page.getByTestId('flash').filter({ hasText: 'createOrder: order' }).innerText();
  const no = /order (\w+)/.exec(created)![1];
  await page.getByTestId(`order-row-${no}`).getByTestId('pay').click();
  await page.getByTestId('flash').filter({ hasText: 'requestPayment:ok' }).waitFor();
  await page.getByTestId(`order-row-${no}`).getByRole('link', { name: no }).click();
  await page.getByTestId('order-status').filter({ hasText: 'SUCCESS' }).waitFor();
  const total = (await fx.harness.order(no)).amount.total as number;

  // Not yuan: refused in the page, nothing sent.
  await page.getByTestId('refund-amount').fill('1.234');
  await page.getByTestId('refund').click();
  await page.getByTestId('flash').filter({ hasText: 'not sent' }).waitFor();
  expect(await fx.harness.stack.admin.count('refunds')).toBe(0);

  // ¥0.29 is 29 fen exactly (0.29 * 100 is not, in floating point).
  await page.getByTestId('refund-amount').fill('0.29');
  await page.getByTestId('refund-reason').fill('Browser partial refund');
  await page.getByTestId('refund').click();
  await flashSays(/refund \S+ of ¥0\.29 PROCESSING/);
  await finishRefunds(fx);
  const rows = page.locator('[data-testid^="refund-row-"]');
  await rows.getByTestId('badge').filter({ hasText: 'SUCCESS' }).waitFor();
  await page.getByTestId('order-status').filter({ hasText: 'SUCCESS' }).waitFor();

  // Blank amount: everything still refundable.
  await page.getByTestId('refund-reason').fill('');
  await page.getByTestId('refund').click();
  await flashSays(/PROCESSING/, '¥0.29');
  // WeChat Pay refuses a second refund of one order within a minute (FREQUENCY_LIMITED): the refund
  // stays PROCESSING, queued; move business time past the minute and let the timer submit it.
  await fx.harness.sim('POST', '/__sim/clock', { advanceSeconds: 61 });
  await fx.harness.waitFor('the queued refund submitted', async () => {
    await fx.harness.trigger('queryOrder');
    return (await fx.harness.stack.admin.find('refunds', { outTradeNo: no })).every((r) => r.refundId);
  }, 30_000);
  await finishRefunds(fx);
  await fx.harness.waitFor('both refunds SUCCESS', async () => {
    await fx.harness.trigger('queryOrder');
    return (await fx.harness.stack.admin.find('refunds', { outTradeNo: no })).every((r) => r.status === 'SUCCESS');
  }, 30_000);
  await page.getByTestId('order-status').filter({ hasText: 'REFUND' }).waitFor();
  await rows.getByTestId('badge').filter({ hasText: 'SUCCESS' }).nth(1).waitFor();
  expect(await rows.count()).toBe(2);
  await page.getByTestId('refund-form').waitFor({ state: 'detached' });

  const refunds = await fx.harness.stack.admin.find('refunds', { outTradeNo: no });
  expect(refunds.map((r) => [r.amount, r.status, r.requestedBy]).sort()).toEqual([[29, 'SUCCESS', LOCAL_STAFF_OPENID], [total - 29, 'SUCCESS', LOCAL_STAFF_OPENID]].sort());
  expect(await fx.harness.order(no)).toMatchObject({ status: 'REFUND', refundedTotal: total });
});

/** Waits for the flash bar to answer `pattern` (and not `not`); on a timeout, says what it showed instead. */
async function flashSays(pattern: RegExp, not?: string): Promise<void> {
  const flash = page.getByTestId('flash');
  try {
    await flash.filter({ hasText: pattern }).filter(not ? { hasNotText: not } : {}).waitFor();
  } catch (err) {
    const shown = await flash.innerText({ timeout: 1000 }).catch(() => '(no flash bar)');
    throw new Error(`${(err as Error).message}\nThe flash bar says: ${shown}`);
  }
}
