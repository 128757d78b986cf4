/**
 * Small helpers the end-to-end tests share: placing an order as a user, building a genuine signed
 * notification with the stack's own platform key, posting it to /pay/notify, editing an order
 * over the database wire (as time passing would), and reading the audit log.
 */
import { EJSON } from 'bson';
import { buildNotification } from '../../lib/wechatpay';
import type { Harness } from './harness';

export const ALICE = 'oALICE000000000000000000001';
export const BOB = 'oBOB00000000000000000000002';

export async function newOrder(h: Harness, openid = ALICE, items = [{ productId: 'coffee', quantity: 2 }]): Promise<any> {
  const created = await h.call('createOrder', { items }, openid);
  if (created?.error) throw new Error(`createOrder failed: ${JSON.stringify(created.error)}`);
  return created;
}

export function prepayIdOf(created: any): string {
  return String(created.payment.package).replace('prepay_id=', '');
}

export async function events(h: Harness, outTradeNo: string): Promise<any[]> {
  return h.stack.admin.find('payment_events', { outTradeNo });
}

export async function transitionEvents(h: Harness, outTradeNo: string): Promise<any[]> {
  return (await events(h, outTradeNo)).filter((e) => e.kind === 'transition');
}

export async function postNotify(h: Harness, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${h.stack.cloudbaseUrl}/pay/notify`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: await res.text() };
}

export function signedNotification(h: Harness, resource: object, overrides: { privateKey?: string; serial?: string; now?: number; apiV3Key?: string } = {}) {
  const c = h.stack.credentials;
  return buildNotification({
    eventType: 'TRANSACTION.SUCCESS',
    resource,
    apiV3Key: overrides.apiV3Key ?? c.apiV3Key,
    privateKey: overrides.privateKey ?? c.platform.privateKey,
    serial: overrides.serial ?? c.platform.serial,
    now: overrides.now ?? Date.now(),
  });
}

export function transactionFor(h: Harness, order: any, patch: object = {}) {
  const c = h.stack.credentials;
  return {
    appid: c.appid, mchid: c.mchid, out_trade_no: order.outTradeNo, transaction_id: `42000${Date.now()}`,
    trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: 'ok', bank_type: 'OTHERS',
    success_time: new Date().toISOString(), payer: { openid: order.openid },
    amount: { total: order.amount.total, payer_total: order.amount.total, currency: 'CNY', payer_currency: 'CNY' },
    ...patch,
  };
}

/** `$set` on one order through the database wire (dates stay dates): how a test lets time pass. */
export async function setOrderFields(h: Harness, outTradeNo: string, fields: Record<string, unknown>): Promise<void> {
  await h.stack.admin.send('database.modifyDocument', {
    collectionName: 'orders', queryType: 'WHERE', multi: false, merge: true, upsert: false,
    query: JSON.stringify({ _id: outTradeNo }),
    data: EJSON.stringify({ $set: fields }, { relaxed: false }),
  });
}

/** CloudBase emulator fault injection (emulator/cloudbase README): `{}` clears. */
export async function cloudbaseFaults(h: Harness, faults: { writeFailureRate?: number; seed?: number }): Promise<void> {
  const res = await fetch(`${h.stack.cloudbaseUrl}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  if (!res.ok) throw new Error(`/__emulator/faults answered ${res.status}: ${await res.text()}`);
}
