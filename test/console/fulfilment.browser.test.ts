// After the payment in real headless Chromium against the real local stack, in Chinese (the default):
// a paid express order shows 发货与收货 with the Ship form; staff ship it (shipOrder as the local
// staff openid), the platform's record appears (2 已发货); the customer confirms receipt (the
// emulator's platform sends the settlement push) and the order's fulfilment turns SETTLED live.
import type { Browser, Page } from 'playwright-core';
import { zhCN } from '../../emulator/console/web/i18n/zh-CN';
import { ALICE } from '../refunds/helpers';
import { consoleInBrowser } from './browser';
import { type ConsoleFixture } from './stack';

let fx: ConsoleFixture;
let browser: Browser;
let page: Page;
jest.setTimeout(60_000);

consoleInBrowser((f, b) => void ([fx, browser] = [f, b]));

test('ship, see the platform record, confirm receipt as the customer: SETTLED, all in Chinese', async () => {
  const created = await fx.harness.call('createOrder', { items: [{ productId: 'beans', quantity: 1 }] }, ALICE);
  const no = created.outTradeNo as string;
  await fx.harness.sim('POST', '/__sim/pay', { prepay_id: String(created.payment.package).replace('prepay_id=', '') });
  await fx.harness.waitFor('paid', async () => (await fx.harness.order(no))?.status === 'SUCCESS');

  page = await browser.newPage({ locale: 'zh-CN' });
  page.setDefaultTimeout(20_000);
  await page.goto(`${fx.console.url}/#/orders/${no}`);
  await page.getByText(zhCN['fulfilment.title'], { exact: true }).waitFor();
  await page.getByText('已支付，尚未发货（express）。').waitFor();
  await page.getByText(zhCN['platform.none']).waitFor();

  await page.getByTestId('ship-tracking').fill('YT2026120101');
  await page.getByTestId('ship-company').fill('YTO');
  await page.getByRole('button', { name: zhCN['ship.submit'], exact: true }).click();
  await page.getByTestId('fulfilment-status').filter({ hasText: 'SHIPPED' }).waitFor();
  await page.getByTestId('platform-state').filter({ hasText: '2 已发货' }).waitFor();
  expect(await page.getByTestId('fulfilment').innerText()).toContain('YTO YT2026120101');

  await page.getByRole('button', { name: zhCN['receipt.confirm'] }).click();
  await page.getByTestId('fulfilment-status').filter({ hasText: 'SETTLED' }).waitFor();
  await page.getByTestId('platform-state').filter({ hasText: '4 交易完成' }).waitFor();
  await page.getByText(/顾客确认/).waitFor();
  expect((await fx.harness.order(no)).fulfilment.status).toBe('SETTLED');
});
