/**
 * The order logic's real surroundings for integration tests: the WeChat Pay simulator, the
 * CloudBase emulator (collections created, products seeded) reached by the real wx-server-sdk, our
 * WeChat Pay client pointed at the simulator in public-key mode, and OrderDeps over them.
 */
import type { DevCredentials } from '../../emulator/credentials';
import { runCredentials } from './run-credentials';
import { startWechatSimulator, type WechatSimulator } from '../../emulator/wechat';
import { silentLogger } from '../../lib/log';
import type { OrderDeps } from '../../lib/orders/deps';
import { loadOrderSettings } from '../../lib/orders/settings';
import { COLLECTIONS } from '../../lib/store/collections';
import { indexFields } from '../../lib/store/deployment';
import { asDatabase } from '../../lib/store/db';
import { createWechatPayClient, type WechatPayClient, type WechatPayClientConfig } from '../../lib/wechatpay';
import { startHarness, type Harness } from '../cloudbase/helpers';

export const NOTIFY_URL = 'https://notify.example.test/pay/notify';
const TEA = { _id: 'tea', name: 'Tea', price: 1200, active: true };

export interface OrderWorld {
  credentials: DevCredentials;
  sim: WechatSimulator;
  cb: Harness;
  client: WechatPayClient;
  deps: OrderDeps;
  close(): Promise<void>;
}

export async function startOrderWorld(opts: { products?: object[]; client?: Partial<WechatPayClientConfig>; deps?: Partial<OrderDeps> } = {}): Promise<OrderWorld> {
  const credentials = runCredentials();
  const sim = await startWechatSimulator({ port: 0, credentials, timeScale: 1000 });
  // The indexes a deployment creates, as the local stack starts the emulator with.
  const cb = await startHarness({ envId: credentials.envId, indexes: indexFields() });
  for (const name of Object.values(COLLECTIONS)) await cb.db.createCollection(name).catch(() => undefined);
  for (const data of opts.products ?? [TEA]) await cb.db.collection(COLLECTIONS.products).add({ data });
  const client = createWechatPayClient({
    mchid: credentials.mchid, serialNo: credentials.merchant.serialNo, privateKey: credentials.merchant.privateKey, apiV3Key: credentials.apiV3Key,
    appid: credentials.appid, notifyUrl: NOTIFY_URL, publicKeyId: credentials.platform.serial, publicKey: credentials.platform.publicKey, baseUrl: sim.url,
    ...opts.client,
  });
  const deps: OrderDeps = {
    db: asDatabase(cb.db), pay: client, merchant: { appid: credentials.appid, mchid: credentials.mchid, notifyUrl: NOTIFY_URL },
    settings: loadOrderSettings({}), now: Date.now, log: silentLogger,
    ...opts.deps,
  };
  return {
    credentials, sim, cb, client, deps,
    async close() {
      client.close();
      await cb.stop();
      await sim.close();
    },
  };
}
