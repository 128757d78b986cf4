/** The platform's shipping rules as our own check applies them (lib/fulfilment/rules.ts): pure, one test per rule. */
import { AppError } from '../../lib/errors';
import { emptyFulfilment, type Fulfilment } from '../../lib/fulfilment/model';
import { itemDescFor, nextUploadTime, parseShipRequest, planShipment } from '../../lib/fulfilment/rules';
import type { Order } from '../../lib/orders/model';

const NOW = Date.parse('2026-12-01T04:00:00.000Z');
const order = (patch: Partial<Order> = {}): Order => ({
  _id: 'T202612010001', outTradeNo: 'T202612010001', openid: 'oPAYER0000001', items: [{ productId: 'beans', name: 'Coffee beans 250 g', unitPrice: 8800, quantity: 2 }],
  amount: { total: 17600, currency: 'CNY' }, description: 'x', status: 'SUCCESS', prepayId: null, prepayExpiresAt: null,
  expiresAt: new Date(NOW), transitions: [], createdAt: new Date(NOW), updatedAt: new Date(NOW), ...patch,
});
const ship = (input: Record<string, unknown>, f: Fulfilment = emptyFulfilment('express'), o = order()) =>
  planShipment(o, f, parseShipRequest({ outTradeNo: 'T202612010001', ...input }), { mchid: '1900000109', now: NOW, by: 'oSTAFF' });
const errcodeOf = (run: () => unknown): number | undefined => {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('SHIPPING_REFUSED');
    return (e as AppError).wxErrcode;
  }
  return undefined;
};
const yto = (n: string) => ({ trackingNo: n, expressCompany: 'YTO' });

test('a unified express shipment becomes the exact upload_shipping_info body', () => {
  const { body, shipment } = ship({ parcels: [yto('YT1')] });
  expect(body).toEqual({
    order_key: { order_number_type: 1, mchid: '1900000109', out_trade_no: 'T202612010001' },
    logistics_type: 1, delivery_mode: 1,
    shipping_list: [{ tracking_no: 'YT1', express_company: 'YTO', item_desc: 'Coffee beans 250 g x2' }],
    upload_time: '2026-12-01T12:00:00.000+08:00',
    payer: { openid: 'oPAYER0000001' },
  });
  expect(shipment).toMatchObject({ logisticsType: 1, deliveryMode: 1, by: 'oSTAFF' });
});

test.each([
  ['no parcel', { parcels: [] }, 10060024],
  ['16 parcels', { split: true, allDelivered: true, parcels: Array.from({ length: 16 }, (_x, i) => yto(`Y${i}`)) }, 10060024],
  ['unified with two parcels', { parcels: [yto('A'), yto('B')] }, 268485228],
  ['split without allDelivered', { split: true, parcels: [yto('A')] }, 10060007],
  ['no tracking number', { parcels: [{ expressCompany: 'YTO' }] }, 268485226],
  ['no company', { parcels: [{ trackingNo: 'A' }] }, 268485227],
  ['tracking number over 128 bytes', { parcels: [yto('号'.repeat(43))] }, 10060026],
  ['company over 128 bytes', { parcels: [{ trackingNo: 'A', expressCompany: 'C'.repeat(129) }] }, 10060025],
  ['SF without a masked contact', { parcels: [{ trackingNo: 'SF1', expressCompany: 'SF' }] }, 10060014],
  ['a contact that is not masked', { parcels: [yto('A')], receiverContact: '18912341234' }, 10060014],
])('%s is refused with %s', (_name, input, errcode) => {
  expect(errcodeOf(() => ship(input))).toBe(errcode);
});

test('15 parcels split, and SF with a masked contact, are accepted', () => {
  expect(ship({ split: true, allDelivered: false, parcels: Array.from({ length: 15 }, (_x, i) => yto(`Y${i}`)) }).body).toMatchObject({ delivery_mode: 2, is_all_delivered: false });
  expect(ship({ parcels: [{ trackingNo: 'SF1', expressCompany: 'SF' }], receiverContact: '189****1234' }).body.shipping_list).toEqual([{ tracking_no: 'SF1', express_company: 'SF', item_desc: 'Coffee beans 250 g x2', contact: { receiver_contact: '189****1234' } }]);
});

test('split only for express: pickup / same-city / virtual are one item without tracking', () => {
  expect(errcodeOf(() => ship({ split: true, allDelivered: true, parcels: [yto('A')] }, emptyFulfilment('pickup')))).toBe(10060006);
  for (const [kind, type] of [['pickup', 4], ['same_city', 2], ['virtual', 3]] as const) {
    expect(ship({}, emptyFulfilment(kind)).body).toMatchObject({ logistics_type: type, delivery_mode: 1, shipping_list: [{ item_desc: 'Coffee beans 250 g x2' }] });
  }
});

test('one re-shipment: a shipped order may be corrected once, then 10060003; received or refunded orders 10060004', () => {
  const first = ship({ parcels: [yto('A')] }).shipment;
  const once: Fulfilment = { ...emptyFulfilment('express'), status: 'SHIPPED', shipments: [first], uploads: 1 };
  expect(ship({ parcels: [yto('B')] }, once).body).toBeDefined();
  expect(errcodeOf(() => ship({ parcels: [yto('C')] }, { ...once, shipments: [first, first], uploads: 2 }))).toBe(10060003);
  expect(errcodeOf(() => ship({ parcels: [yto('C')] }, { ...once, status: 'SETTLED' }))).toBe(10060004);
  expect(errcodeOf(() => ship({ parcels: [yto('C')] }, emptyFulfilment('express'), order({ status: 'REFUND' })))).toBe(10060004);
});

test('item_desc comes from the order, cut to 120 characters', () => {
  const long = order({ items: Array.from({ length: 12 }, (_x, i) => ({ productId: `p${i}`, name: `很长的商品名称第${i}号`, unitPrice: 100, quantity: 1 })) });
  const desc = itemDescFor(long);
  expect(Array.from(desc)).toHaveLength(120);
  expect(desc.startsWith('很长的商品名称第0号 x1, 很长的商品名称第1号 x1')).toBe(true);
});

test('upload_time is RFC 3339 in China time and always later than the last, even if our clock is behind', () => {
  const last = { logisticsType: 1 as const, deliveryMode: 1 as const, parcels: [], uploadTime: '2026-12-01T12:00:05.000+08:00', by: 'x' };
  expect(nextUploadTime([], NOW)).toBe('2026-12-01T12:00:00.000+08:00');
  expect(nextUploadTime([last], NOW)).toBe('2026-12-01T12:00:05.001+08:00');
});

test('bad input is INVALID_INPUT, not a refusal', () => {
  expect(() => parseShipRequest({ outTradeNo: 'T202612010001', parcels: 'YT1' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  expect(() => parseShipRequest({ outTradeNo: 'T202612010001', split: 'yes' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  expect(() => parseShipRequest(null)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
});
