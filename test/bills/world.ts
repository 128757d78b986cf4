/**
 * An in-process world for lib/bills: the unmodified wx-server-sdk on the CloudBase emulator and
 * lib/wechatpay's client on the WeChat Pay simulator, with BillDeps built the way the functions'
 * runtime builds them. Orders are placed and paid for real; "the notification arrived" is a
 * verified query synced through the one transition path (what payNotify's handler ends in).
 */
import { startCloudbaseEmulator } from '../../emulator/cloudbase';
import type { DevCredentials } from '../../emulator/credentials';
import { runCredentials } from '../support/run-credentials';
import { startWechatSimulator, type WechatSimulator } from '../../emulator/wechat';
import { chinaDate, chinaMidnight } from '../../emulator/wechat/bills/ledger';
import type { BillDeps } from '../../lib/bills';
import { loadBillSettings } from '../../lib/bills/settings';
import { createOrder } from '../../lib/orders/create';
import { loadOrderSettings } from '../../lib/orders/settings';
import { syncOrderWithTransaction } from '../../lib/orders/sync';
import type { Order } from '../../lib/orders/model';
import { reconcileRefunds } from '../../lib/refunds/reconcile';
import { requestRefund } from '../../lib/refunds/request';
import { COLLECTIONS } from '../../lib/store/collections';
import { asDatabase, type Database } from '../../lib/store/db';
import { createWechatPayClient } from '../../lib/wechatpay';
import { startHarness, type Harness } from '../cloudbase/helpers';
import { refundsFinished } from '../support/refunds-finished';

export const CUSTOMER = 'oBILLCUSTOMER0000000000001';
export const STAFF = 'oBILLSTAFF000000000000000001';

export interface World {
  sim: WechatSimulator;
  cb: Harness;
  credentials: DevCredentials;
  deps: BillDeps;
  /** The functions' clock (ms); tests move it. */
  clock: { now: number; step: number };
  /** Places an order of `quantity` teas (12.00 each) and pays it in the simulator; `sync` = our side learns it. */
  paidOrder(quantity: number, sync?: boolean): Promise<string>;
  /** Asks for a refund; `sync` = our side learns its outcome (else it stays PROCESSING here). */
  refund(outTradeNo: string, amount?: number, sync?: boolean): Promise<void>;
  order(outTradeNo: string): Promise<Order>;
  all(collection: string): Promise<Record<string, unknown>[]>;
  /** The China date payments are on, and the simulator moved past 10:00 of the next day. */
  makeBillReady(): Promise<string>;
  close(): Promise<void>;
}

export async function startWorld(settings: Record<string, string> = {}): Promise<World> {
  const credentials = runCredentials();
  const sim = await startWechatSimulator({ port: 0, credentials, timeScale: 1000, refundDelaySeconds: 1 });
  const cb = await startHarness({ envId: credentials.envId });
  for (const name of Object.values(COLLECTIONS)) await cb.db.createCollection(name).catch(() => undefined);
  await cb.db.collection(COLLECTIONS.products).add({ data: { _id: 'tea', name: '茶, "大杯"', price: 1200, active: true } });
  const client = createWechatPayClient({
    mchid: credentials.mchid, serialNo: credentials.merchant.serialNo, privateKey: credentials.merchant.privateKey, apiV3Key: credentials.apiV3Key,
    appid: credentials.appid, notifyUrl: 'https://notify.example.test/pay/notify', publicKeyId: credentials.platform.serial,
    publicKey: credentials.platform.publicKey, baseUrl: sim.url, maxRetries: 0,
  });
  const clock = { now: Date.now(), step: 0 };
  const db: Database = asDatabase(cb.db);
  const deps: BillDeps = {
    db, pay: client, refundPay: client, bills: client,
    merchant: { appid: credentials.appid, mchid: credentials.mchid, notifyUrl: 'https://notify.example.test/pay/notify' },
    settings: loadOrderSettings({}),
    refundSettings: { adminOpenids: new Set([STAFF]), reconcileMinAgeSeconds: 0 },
    billSettings: { ...loadBillSettings({ BILL_ADMIN_OPENIDS: STAFF }), ...parseNumbers(settings) },
    now: () => (clock.now += clock.step),
    log: () => undefined,
  };
  const world: World = {
    sim, cb, credentials, deps, clock,
    async paidOrder(quantity, sync = true) {
      const created = await createOrder(deps, CUSTOMER, { kind: 'new', items: [{ productId: 'tea', quantity }] });
      const prepay = String(created.payment.package).replace('prepay_id=', '');
      const res = await fetch(`${sim.url}/__sim/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prepay_id: prepay }) });
      if (res.status !== 200) throw new Error(`pay failed: ${await res.text()}`);
      if (sync) {
        const tx = await client.queryByOutTradeNo(created.outTradeNo);
        await syncOrderWithTransaction(deps, await world.order(created.outTradeNo), tx, 'notify', `test:${created.outTradeNo}`);
      }
      return created.outTradeNo;
    },
    async refund(outTradeNo, amount, sync = true) {
      await requestRefund(deps, STAFF, { outTradeNo, reason: 'test', ...(amount ? { amount } : {}) });
      // Not the retries of the notifications nothing here receives (notify.example.test): waiting
      // those out too (settled()) took up to 7 s per refund.
      await refundsFinished(sim.state);
      if (sync) await reconcileRefunds(deps);
    },
    async order(outTradeNo) {
      const { data } = await cb.db.collection(COLLECTIONS.orders).where({ _id: outTradeNo }).get();
      return data[0];
    },
    async all(collection) {
      const { data } = await cb.db.collection(collection).limit(1000).get();
      return data;
    },
    async makeBillReady() {
      const day = chinaDate(sim.state.now());
      const wait = chinaMidnight(day) + 34 * 3600_000 - sim.state.now() + 60_000;
      if (wait > 0) sim.state.clock.advance(wait);
      sim.state.scheduler.rearm();
      return day;
    },
    async close() {
      client.close();
      await cb.stop();
      await sim.close();
    },
  };
  return world;
}

function parseNumbers(s: Record<string, string>): Partial<BillDeps['billSettings']> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(s)) out[k] = Number(v);
  return out as Partial<BillDeps['billSettings']>;
}
