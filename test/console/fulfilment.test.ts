// The console's after-the-payment actions over real HTTP against the real stack: Ship (shipOrder as
// the staff openid, refusals relayed with WeChat's errcode), the order view with our fulfilment and
// the platform's record, Confirm receipt as the customer → settlement push → SETTLED.
import { consoleApi, consolePerFile, type ConsoleFixture } from './stack';

let fx: ConsoleFixture;
jest.setTimeout(45_000);
consolePerFile((f) => void (fx = f));

const api = (method: 'GET' | 'POST', path: string, body?: unknown) => consoleApi(fx.console.url, method, path, body);

test('ship, see both views, confirm receipt as the customer, SETTLED', async () => {
  const created = await api('POST', '/api/functions/createOrder', { openid: 'o-ship-1', data: { items: [{ productId: 'beans', quantity: 1 }] } });
  const no = created.body.result.outTradeNo as string;
  await api('POST', '/api/pay', { outTradeNo: no });
  await fx.harness.waitFor('paid', async () => (await fx.harness.order(no))?.status === 'SUCCESS');

  expect((await api('POST', '/api/receipt', { outTradeNo: no })).status).toBe(409); // not shipped yet: NOT_SHIPPED
  const refused = await api('POST', '/api/ship', { outTradeNo: no, expressCompany: 'YTO' });
  expect(refused).toMatchObject({ status: 409, body: { error: { code: 'SHIPPING_REFUSED', wxErrcode: 268485226 } } });
  expect((await api('POST', '/api/ship', { outTradeNo: no, trackingNo: 'YT777', expressCompany: 'YTO' })).body).toMatchObject({ fulfilment: { status: 'SHIPPED' } });

  const view = (await api('GET', `/api/orders/${no}`)).body;
  expect(view.order.fulfilment).toMatchObject({ status: 'SHIPPED', kind: 'express', uploads: 1, outbox: null });
  expect(view.platform).toMatchObject({ out_trade_no: no, state: 2, shipping: { shipping_list: [{ tracking_no: 'YT777', express_company: 'YTO' }] } });

  expect((await api('POST', '/api/receipt', { outTradeNo: no, by: 'someone' })).status).toBe(400);
  expect((await api('POST', '/api/receipt', { outTradeNo: no, by: 'customer' })).status).toBe(200);
  await fx.harness.waitFor('settled', async () => (await fx.harness.order(no)).fulfilment?.status === 'SETTLED');
  expect((await api('GET', `/api/orders/${no}`)).body.platform).toMatchObject({ state: 4, confirm_receive_method: 2 });
});
