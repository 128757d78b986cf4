/**
 * The one fulfilment transition (applyFulfilment) through the real wx-server-sdk against the
 * CloudBase emulator: concurrent identical steps apply once with one history entry; a refunded
 * order takes no step; the first fulfilment record is created once; the platform only moves forward.
 */
import { applyFulfilment, ensureFulfilment, isForward, statusForOrderState } from '../../lib/fulfilment/transition';
import { asDatabase, type Database } from '../../lib/store/db';
import { startHarness, type Harness } from '../cloudbase/helpers';

let h: Harness;
let db: Database;
beforeAll(async () => {
  h = await startHarness();
  await h.db.createCollection('orders');
  db = asDatabase(h.db);
});
afterAll(() => h.stop());

const NOW = Date.parse('2026-12-01T04:00:00Z');
async function paidOrder(id: string, status = 'SUCCESS'): Promise<void> {
  await h.db.collection('orders').add({ data: { _id: id, outTradeNo: id, status, items: [], transitions: [] } });
}
const get = async (id: string) => (await h.db.collection('orders').doc(id).get()).data;

test('ten concurrent ensureFulfilment + PENDING → SHIPPED: one record, one step, one history entry', async () => {
  await paidOrder('F1000001');
  await Promise.all(Array.from({ length: 10 }, () => ensureFulfilment(db, 'F1000001', 'express', NOW)));
  const results = await Promise.all(Array.from({ length: 10 }, () => applyFulfilment(db, 'F1000001', { from: 'PENDING', to: 'SHIPPED', source: 'staff', guard: { 'fulfilment.uploads': 0 }, set: { uploads: 1, outbox: { id: 'o1' } as never } }, NOW)));
  expect(results.filter(Boolean)).toHaveLength(1);
  const f = (await get('F1000001')).fulfilment;
  expect(f).toMatchObject({ status: 'SHIPPED', kind: 'express', uploads: 1, outbox: { id: 'o1' } });
  expect(f.history).toEqual([{ from: 'PENDING', to: 'SHIPPED', source: 'staff', at: new Date(NOW) }]);
});

test('the outbox guard: clearing it with another id does nothing; with its id, once, without a history entry', async () => {
  const clear = (id: string) => applyFulfilment(db, 'F1000001', { from: 'SHIPPED', to: 'SHIPPED', source: 'staff', record: false, guard: { 'fulfilment.outbox.id': id }, set: { outbox: null } }, NOW);
  expect(await clear('other')).toBe(false);
  expect(await Promise.all([clear('o1'), clear('o1')])).toEqual(expect.arrayContaining([true, false]));
  const f = (await get('F1000001')).fulfilment;
  expect(f.outbox).toBeNull();
  expect(f.history).toHaveLength(1);
});

test('a refunded order takes no step and gets no fulfilment record', async () => {
  await paidOrder('F1000002', 'REFUND');
  await ensureFulfilment(db, 'F1000002', 'express', NOW);
  expect((await get('F1000002')).fulfilment).toBeUndefined();
  await paidOrder('F1000003');
  await ensureFulfilment(db, 'F1000003', 'virtual', NOW);
  await h.db.collection('orders').doc('F1000003').update({ data: { status: 'REFUND' } });
  expect(await applyFulfilment(db, 'F1000003', { from: 'PENDING', to: 'SHIPPED', source: 'auto' }, NOW)).toBe(false);
  expect((await get('F1000003')).fulfilment.status).toBe('PENDING');
});

test('order_state mapping and forward-only steps', () => {
  expect([1, 2, 3, 4, 5, 6].map(statusForOrderState)).toEqual([null, 'SHIPPED', 'CONFIRMED', 'SETTLED', null, null]);
  expect(isForward('SHIPPED', 'SETTLED')).toBe(true);
  expect(isForward('SETTLED', 'SHIPPED')).toBe(false);
  expect(isForward('SHIPPED', 'SHIPPED')).toBe(false);
});
