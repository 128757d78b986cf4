/** listProducts: the active catalogue, prices in fen, each picture as a temporary link (lib/shop/images.ts). */
import { clientFunction } from '../../lib/functions/handler';
import { cloud, database } from '../../lib/functions/runtime';
import { consoleLogger } from '../../lib/log';
import { listActiveProducts } from '../../lib/shop/catalog';
import { productImageLinks, type TempUrlSource } from '../../lib/shop/images';

// (The SDK's typings allow a callback form returning void; called without one it returns the promise.)
const storage: TempUrlSource = { getTempFileURL: (params) => cloud.getTempFileURL(params) as ReturnType<TempUrlSource['getTempFileURL']> };
const images = productImageLinks(storage, consoleLogger);

export const main = clientFunction(() => cloud.getWXContext(), async () => ({ products: await images.attach(await listActiveProducts(database())) }));
