/** listProducts: the active catalogue, prices in fen. */
import { clientFunction } from '../../lib/functions/handler';
import { cloud, database } from '../../lib/functions/runtime';
import { listActiveProducts } from '../../lib/shop/catalog';

export const main = clientFunction(() => cloud.getWXContext(), async () => ({ products: await listActiveProducts(database()) }));
