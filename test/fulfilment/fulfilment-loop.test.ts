/**
 * After the payment, on the real local stack (simulator + CloudBase emulator with its mini-program
 * platform + built functions, the real wx-server-sdk cloud call): pay → staff ship (uploadShippingInfo)
 * → the customer confirms receipt on the platform → settlement push → tradeEvents asks getOrder →
 * SETTLED; virtual goods delivered by the timer; the platform's rules refused with WeChat's errcodes.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startHarness, type Harness } from '../e2e/harness';
import { ALICE, newOrder, setOrderFields } from '../e2e/loop-helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ functionEnv: { SHIPPING_CHECK_MIN_AGE_SECONDS: '0' } });
}, 120_000);
afterAll(() => h?.close());

async function paidOrder(items: { productId: string; quantity: number }[]): Promise<string> {
  const created = await newOrder(h, ALICE, items);
  await h.sim('POST', '/__sim/pay', { ...created.payment, result: 'SUCCESS' });
  await h.waitFor('paid', async () => (await h.order(created.outTradeNo))?.status === 'SUCCESS');
  return created.outTradeNo;
}
const platform = async (path: string, body?: unknown): Promise<any> => {
  const res = await fetch(`${h.stack.cloudbaseUrl}/__emulator/platform/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, ...((await res.json()) as object) };
};
const ship = (data: unknown, openid = h.stack.staffOpenid) => h.call('shipOrder', data, openid);

test('express: ship → customer confirms → settlement push → SETTLED, once, payment status untouched', async () => {
  const no = await paidOrder([{ productId: 'beans', quantity: 1 }]);
  const shipped = await ship({ outTradeNo: no, parcels: [{ trackingNo: 'YT1234567890', expressCompany: 'YTO' }] });
  expect(shipped.error).toBeUndefined();
  expect(shipped).toMatchObject({ replayed: false, pendingUpload: false, fulfilment: { status: 'SHIPPED', kind: 'express', parcels: [{ trackingNo: 'YT1234567890', expressCompany: 'YTO', itemDesc: '咖啡豆 250 g x1' }] } });
  const seen = (await platform('orders')).orders.find((o: any) => o.out_trade_no === no);
  expect(seen).toMatchObject({ state: 2, shipping: { logistics_type: 1, delivery_mode: 1, shipping_list: [{ tracking_no: 'YT1234567890', express_company: 'YTO', item_desc: '咖啡豆 250 g x1' }] } });
  expect(seen.shipping.upload_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/);

  // Staff repeat the same request (a double tap): answered as it stands, the re-shipment not used.
  expect(await ship({ outTradeNo: no, parcels: [{ trackingNo: 'YT1234567890', expressCompany: 'YTO' }] })).toMatchObject({ replayed: true });
  expect((await platform('orders')).orders.find((o: any) => o.out_trade_no === no).uploads).toBe(1);

  const confirmed = await platform('confirm', { outTradeNo: no });
  expect(confirmed.status).toBe(200);
  const order = await h.waitFor('settled', async () => {
    const o = await h.order(no);
    return o.fulfilment?.status === 'SETTLED' && o;
  });
  expect(order.status).toBe('SUCCESS');
  expect(order.fulfilment.history.map((t: any) => `${t.from}>${t.to}:${t.source}`)).toEqual(['PENDING>SHIPPED:staff', 'SHIPPED>SETTLED:push']);
});

test('confirmation and settlement apart: 确认收货 (no push) → the timer sees CONFIRMED; settlement later → push → SETTLED', async () => {
  const no = await paidOrder([{ productId: 'beans', quantity: 1 }]);
  await ship({ outTradeNo: no, parcels: [{ trackingNo: 'YT7654321', expressCompany: 'YTO' }] });
  const confirmed = await platform('confirm', { outTradeNo: no, settle: false });
  expect(confirmed.status).toBe(200);
  expect((await platform('orders')).orders.find((o: any) => o.out_trade_no === no)).toMatchObject({ state: 3, confirm_receive_method: 2 });
  // Staff correct the shipment before we learned of the receipt: the platform refuses (10060004), the step is undone.
  expect((await ship({ outTradeNo: no, parcels: [{ trackingNo: 'YT0000009', expressCompany: 'YTO' }] })).error).toMatchObject({ code: 'SHIPPING_REFUSED', wxErrcode: 10060004 });
  await h.trigger('queryOrder');
  expect((await h.order(no)).fulfilment.status).toBe('CONFIRMED');
  expect((await platform('settle', { outTradeNo: no })).settled).toHaveLength(1);
  const order = await h.waitFor('settled', async () => {
    const o = await h.order(no);
    return o.fulfilment?.status === 'SETTLED' && o;
  });
  expect(order.fulfilment.history.map((t: any) => `${t.from}>${t.to}:${t.source}`)).toEqual(['PENDING>SHIPPED:staff', 'SHIPPED>SHIPPED:staff', 'SHIPPED>SHIPPED:refused', 'SHIPPED>CONFIRMED:poll', 'CONFIRMED>SETTLED:push']);
  expect(order.fulfilment.shipments.map((x: any) => x.parcels[0].trackingNo)).toEqual(['YT7654321']);
  expect(order.fulfilment.confirmedAt).toBeDefined();
  expect(order.fulfilment.settledAt).toBeDefined();
});

test('the platform rules refuse before anything is sent, with WeChat errcodes', async () => {
  const no = await paidOrder([{ productId: 'cake', quantity: 1 }]);
  const cases: [unknown, number][] = [
    [{ outTradeNo: no, parcels: [] }, 10060024],
    [{ outTradeNo: no, parcels: [{ trackingNo: 'A1', expressCompany: 'YTO' }, { trackingNo: 'A2', expressCompany: 'YTO' }] }, 268485228],
    [{ outTradeNo: no, split: true, parcels: [{ trackingNo: 'A1', expressCompany: 'YTO' }] }, 10060007],
    [{ outTradeNo: no, parcels: [{ expressCompany: 'YTO' }] }, 268485226],
    [{ outTradeNo: no, parcels: [{ trackingNo: 'SF1', expressCompany: 'SF' }] }, 10060014],
    [{ outTradeNo: no, parcels: [{ trackingNo: 'x'.repeat(129), expressCompany: 'YTO' }] }, 10060026],
  ];
  for (const [input, errcode] of cases) expect((await ship(input)).error).toMatchObject({ code: 'SHIPPING_REFUSED', wxErrcode: errcode });
  expect((await platform('orders')).orders.find((o: any) => o.out_trade_no === no)?.shipping).toBeUndefined();
  expect((await h.order(no)).fulfilment.status).toBe('PENDING');
  expect((await ship({ outTradeNo: no, parcels: [{ trackingNo: 'A1', expressCompany: 'YTO' }] }, ALICE)).error.code).toBe('FORBIDDEN');
});

test('one re-shipment: the second correction is refused 10060003 and nothing changes', async () => {
  const no = await paidOrder([{ productId: 'cake', quantity: 2 }]);
  await ship({ outTradeNo: no, parcels: [{ trackingNo: 'ZT1', expressCompany: 'ZTO' }] });
  const fixed = await ship({ outTradeNo: no, split: true, allDelivered: true, parcels: [{ trackingNo: 'ZT2', expressCompany: 'ZTO' }, { trackingNo: 'ZT3', expressCompany: 'ZTO' }] });
  expect(fixed.fulfilment.parcels.map((p: any) => p.trackingNo)).toEqual(['ZT2', 'ZT3']);
  expect((await ship({ outTradeNo: no, parcels: [{ trackingNo: 'ZT4', expressCompany: 'ZTO' }] })).error).toMatchObject({ code: 'SHIPPING_REFUSED', wxErrcode: 10060003 });
  expect((await platform('orders')).orders.find((o: any) => o.out_trade_no === no).shipping.shipping_list.map((i: any) => i.tracking_no)).toEqual(['ZT2', 'ZT3']);
});

test('virtual goods: the timer records them delivered (logistics_type 3) once; pushes lost → the timer polls getOrder and settles', async () => {
  const no = await paidOrder([{ productId: 'giftcard', quantity: 1 }]);
  await h.trigger('queryOrder');
  await h.trigger('queryOrder');
  const order = await h.order(no);
  expect(order.fulfilment).toMatchObject({ status: 'SHIPPED', kind: 'virtual', uploads: 1, outbox: null });
  const seen = (await platform('orders')).orders.find((o: any) => o.out_trade_no === no);
  expect(seen).toMatchObject({ state: 2, uploads: 1, shipping: { logistics_type: 3 } });

  await platform('faults', { dropPushRate: 1 });
  await platform('fast-forward', { outTradeNo: no });
  expect((await h.order(no)).fulfilment.status).toBe('SHIPPED'); // the push was dropped
  await h.trigger('queryOrder');
  const settled = await h.order(no);
  expect(settled.fulfilment.status).toBe('SETTLED');
  expect(settled.fulfilment.history.map((t: any) => `${t.from}>${t.to}:${t.source}`)).toEqual(['PENDING>SHIPPED:auto', 'SHIPPED>SETTLED:poll']);
  await platform('faults', {});
});

test('a platform outage (-1) keeps the upload owed; the timer finishes it exactly once', async () => {
  const no = await paidOrder([{ productId: 'beans', quantity: 2 }]);
  await platform('faults', { systemErrorRate: 1 });
  const first = await ship({ outTradeNo: no, parcels: [{ trackingNo: 'JD0001', expressCompany: 'JD' }] });
  expect(first).toMatchObject({ pendingUpload: true, fulfilment: { status: 'SHIPPED', pendingUpload: true } });
  expect((await platform('orders')).orders.find((o: any) => o.out_trade_no === no)?.shipping).toBeUndefined();
  await platform('faults', {});
  // The outbox waits a minute before the timer touches it (so it never races the staff's own call).
  const doc = await h.order(no);
  await setOrderFields(h, no, { 'fulfilment.outbox.since': new Date(Date.now() - 120_000) });
  expect(doc.fulfilment.outbox.attempts).toBe(1);
  await h.trigger('queryOrder');
  await h.trigger('queryOrder');
  const after = await h.order(no);
  expect(after.fulfilment).toMatchObject({ status: 'SHIPPED', outbox: null, uploads: 1 });
  expect((await platform('orders')).orders.find((o: any) => o.out_trade_no === no)).toMatchObject({ state: 2, uploads: 1 });
});

test('refunded orders stop: shipping is refused 10060004', async () => {
  const no = await paidOrder([{ productId: 'cake', quantity: 1 }]);
  const refund = await h.call('refundOrder', { outTradeNo: no, reason: 'out of stock' }, h.stack.staffOpenid);
  expect(refund.error).toBeUndefined();
  await h.waitFor('refunded', async () => (await h.order(no)).status === 'REFUND', 20_000);
  expect((await ship({ outTradeNo: no, parcels: [{ trackingNo: 'YT9', expressCompany: 'YTO' }] })).error).toMatchObject({ code: 'SHIPPING_REFUSED', wxErrcode: 10060004 });
});

test('npm run local -- ship and receipt (alias npm run receipt): staff ship from the CLI, it confirms receipt as the customer; the settlement push settles the order', async () => {
  // Chinese by default (LANG=C), English with LANG=en_US.UTF-8; the host's locale decides nothing.
  const { LC_ALL: _all, LC_MESSAGES: _messages, ...env } = process.env;
  const script = (file: string) => (lang: string, ...args: string[]) => promisify(execFile)(process.execPath, ['--require', require.resolve('tsx/cjs'), ...file.split(' '), ...args], { env: { ...env, LANG: lang, CLOUDBASE_URL: h.stack.cloudbaseUrl } });
  const local = script('scripts/local/cli.ts receipt');
  const alias = script('scripts/receipt.ts');
  const shipCli = script('scripts/local/cli.ts ship');
  // Staff ship from the same CLI (shipOrder as the local staff member): a same-city order needs no tracking number.
  const no = await paidOrder([{ productId: 'tea', quantity: 1 }]);
  expect((await shipCli('C', no)).stdout).toContain(`${no}：履约状态 SHIPPED（same_city）`);
  expect((await h.order(no)).fulfilment).toMatchObject({ status: 'SHIPPED', kind: 'same_city' });
  // An express order without a tracking number is refused by shipOrder, its code and WeChat's errcode unchanged.
  const express = await paidOrder([{ productId: 'cake', quantity: 1 }]);
  await expect(shipCli('en_US.UTF-8', express)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('shipOrder refused: SHIPPING_REFUSED') });
  expect((await shipCli('en_US.UTF-8', express, 'YT100', 'YTO')).stdout).toContain(`${express}: fulfilment SHIPPED (express) YTO YT100`);
  const { stdout } = await local('C', 'confirm', no);
  expect(stdout).toContain(`${no}  交易完成`);
  expect(stdout).toContain('用户已确认收货，已推送结算消息');
  await h.waitFor('settled', async () => (await h.order(no)).fulfilment?.status === 'SETTLED');
  await expect(local('C', 'confirm', no)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('NOT_SHIPPED: 没有可确认收货的已发货订单') });
  await expect(alias('en_US.UTF-8', 'confirm', no)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('NOT_SHIPPED: No shipped order to confirm') });
  expect((await alias('en_US.UTF-8', 'list')).stdout).toContain(`${no}  交易完成 settled`);
  await expect(local('en_US.UTF-8', 'confirm')).rejects.toMatchObject({ code: 2, stdout: expect.stringContaining('usage: npm run local -- receipt confirm <outTradeNo>') });
});
