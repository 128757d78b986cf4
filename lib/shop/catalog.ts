/** Products and a user's own orders, as the mini-program lists them. */
import type { Database } from '../store/db';
import { toOrderView, type Order, type OrderView, type Product } from '../orders/model';
import { COLLECTIONS } from '../store/collections';

export async function listActiveProducts(db: Database): Promise<Product[]> {
  const { data } = await db.collection(COLLECTIONS.products).where({ active: true }).orderBy('_id', 'asc').limit(100).get();
  return (data as unknown as Product[]).map(({ _id, name, price, active, delivery }) => ({ _id, name, price, active, delivery: delivery ?? 'express' }));
}

/** Newest first; the owner's orders only, by construction of the query. */
export async function listOwnOrders(db: Database, openid: string, limit = 50): Promise<OrderView[]> {
  const { data } = await db.collection(COLLECTIONS.orders).where({ openid }).orderBy('createdAt', 'desc').limit(limit).get();
  return (data as unknown as Order[]).map(toOrderView);
}

/** The demo catalogue `npm start` seeds. Prices in fen. */
export const DEMO_PRODUCTS: Product[] = [
  { _id: 'coffee', name: 'Pour-over coffee', price: 1800, active: true, delivery: 'pickup' },
  { _id: 'tea', name: 'Oolong tea', price: 1200, active: true, delivery: 'same_city' },
  { _id: 'cake', name: 'Cheesecake slice', price: 2650, active: true, delivery: 'express' },
  { _id: 'beans', name: 'Coffee beans 250 g', price: 8800, active: true, delivery: 'express' },
  { _id: 'giftcard', name: 'E-gift card', price: 5000, active: true, delivery: 'virtual' },
  { _id: 'retired', name: 'Discontinued mug', price: 4500, active: false },
];
