/** Products and a user's own orders, as the mini-program lists them. */
import type { Database } from '../store/db';
import { toOrderView, type Order, type OrderView, type Product } from '../orders/model';
import { COLLECTIONS } from '../store/collections';

export async function listActiveProducts(db: Database): Promise<Product[]> {
  const { data } = await db.collection(COLLECTIONS.products).where({ active: true }).orderBy('_id', 'asc').limit(100).get();
  return (data as unknown as Product[]).map(({ _id, name, price, active, delivery, image }) => ({
    _id, name, price, active, delivery: delivery ?? 'express', ...(typeof image === 'string' && image ? { image } : {}),
  }));
}

/** Newest first; the owner's orders only, by construction of the query. */
export async function listOwnOrders(db: Database, openid: string, limit = 50): Promise<OrderView[]> {
  const { data } = await db.collection(COLLECTIONS.orders).where({ openid }).orderBy('createdAt', 'desc').limit(limit).get();
  return (data as unknown as Order[]).map(toOrderView);
}
