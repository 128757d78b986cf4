/**
 * A simulator ledger of `n` paid orders put straight into the state (no HTTP: 100k signed requests
 * would take minutes), each as the API leaves it: the order, its prepay and transaction index entries,
 * and its TRANSACTION.SUCCESS notification delivered on the first attempt. Used by the simstore bench
 * and test/simulator/store-cost.test.ts; the caller makes it durable (store.compact()).
 */
import { buildNotificationBody } from '../../../lib/wechatpay';
import { transactionView } from '../../../emulator/wechat/transactions';
import type { SimState } from '../../../emulator/wechat';
import type { Order } from '../../../emulator/wechat/types';

export function seedPaidOrders(state: SimState, n: number, prefix = 'SEED'): void {
  const { mchid, appid, apiV3Key } = state.credentials;
  const now = state.now();
  for (let i = 0; i < n; i++) {
    const no = `${prefix}${String(i).padStart(10, '0')}`;
    const key = `${mchid}:${no}`;
    const o: Order = {
      mchid, appid, out_trade_no: no, description: '乌龙茶 等2种商品', notify_url: 'https://notify.local.test/pay/notify', payableUntil: now + 7 * 86400_000,
      amount: { total: 1200 + (i % 7), currency: 'CNY' }, payer: { openid: 'oSEED000000000000000000001' }, fingerprint: `{"seed":"${no}"}`, createdAt: now,
      prepay: { id: `wx${String(i).padStart(34, '0')}`, expiresAt: now + 7200_000 }, trade_state: 'SUCCESS',
      transaction_id: `4200${String(i).padStart(24, '0')}`, success_time: '2026-12-02T10:00:00+08:00', bank_type: 'OTHERS', refunded: 0, refundCount: 0,
    };
    state.orders.set(key, o);
    state.prepays.set(o.prepay.id, key);
    state.transactions.set(o.transaction_id!, key);
    const id = `seed-${i}`;
    const body = buildNotificationBody({ eventType: 'TRANSACTION.SUCCESS', resource: transactionView(o), apiV3Key, id, summary: '支付成功', originalType: 'transaction', now });
    state.deliveries.push({
      id, event_type: 'TRANSACTION.SUCCESS', out_trade_no: no, notify_url: o.notify_url, target: 'http://127.0.0.1:8790/pay/notify', body, state: 'delivered',
      attempts: [{ n: 1, at: now, scheduledDelaySeconds: 0, outcome: 'delivered', statuses: [204], serials: [state.credentials.platform.serial] }], createdAt: now,
    });
  }
}
