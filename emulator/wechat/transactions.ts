// JSAPI prepay, query (by out_trade_no / transaction_id), close, and the payer's side (pay).
import { formatWechatTime } from '../../lib/wechatpay/time';
import { orderNotExist, paramError, SimError } from './errors';
import type { Ctx, Reply } from './http';
import { parseJson } from './http';
import { prepayId, transactionId } from './ids';
import { enqueueNotification } from './notify';
import { orderKey, type SimState } from './state';
import type { Order } from './types';
import { canonical, currency, int, notifyUrl, obj, rfc3339, str, type Body } from './validate';

const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
export const PREPAY_TTL_MS = 2 * 3600 * 1000;
const DEFAULT_PAYABLE_MS = 7 * 24 * 3600 * 1000;
const MAX_PAYABLE_MS = 90 * 24 * 3600 * 1000;

const STATE_DESC: Record<Order['trade_state'], string> = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  PAYERROR: '支付失败',
  CLOSED: '订单已关闭',
  REFUND: '订单发生过退款',
};

/**
 * The query response / decrypted notification resource for an order. A paid order has the full set;
 * an unpaid one the smaller shape real NOTPAY answers have: no payer, trade_type, success_time,
 * bank_type, and amount {payer_currency, total} (notes/wechatpay-v3.md "Shapes seen in real responses").
 */
export function transactionView(o: Order): Body {
  const paid = o.transaction_id !== undefined && o.trade_state !== 'NOTPAY' && o.trade_state !== 'PAYERROR';
  const common = {
    appid: o.appid,
    mchid: o.mchid,
    out_trade_no: o.out_trade_no,
    trade_state: o.trade_state,
    trade_state_desc: STATE_DESC[o.trade_state],
    ...(o.attach !== undefined ? { attach: o.attach } : {}),
  };
  if (!paid) return { ...common, amount: { payer_currency: 'CNY', total: o.amount.total } };
  return {
    ...common,
    transaction_id: o.transaction_id,
    trade_type: 'JSAPI',
    bank_type: o.bank_type ?? 'OTHERS',
    success_time: o.success_time,
    payer: { openid: o.payer.openid },
    amount: { total: o.amount.total, payer_total: o.amount.total, currency: o.amount.currency, payer_currency: 'CNY' },
    promotion_detail: [],
  };
}

export function jsapiPrepay(state: SimState, ctx: Ctx): Reply {
  const body = parseJson(ctx);
  const appid = str(body, 'appid', { required: true, max: 32 })!;
  const mchid = str(body, 'mchid', { required: true, max: 32 })!;
  if (mchid !== ctx.mchid) throw paramError('mchid', `must equal the mchid in Authorization (${ctx.mchid})`);
  const description = str(body, 'description', { required: true, maxBytes: 127 })!;
  const outTradeNo = str(body, 'out_trade_no', { required: true, pattern: OUT_TRADE_NO })!;
  const expire = rfc3339(body, 'time_expire');
  const attach = str(body, 'attach', { maxBytes: 128 });
  const goodsTag = str(body, 'goods_tag', { max: 32 });
  const notify = notifyUrl(body, 'notify_url', true)!;
  obj(body, 'amount', true);
  const total = int(body, 'amount.total', { required: true, min: 1 })!;
  const cur = currency(body, 'amount.currency');
  obj(body, 'payer', true);
  const openid = str(body, 'payer.openid', { required: true, min: 1, max: 128 })!;
  for (const f of ['detail', 'scene_info', 'settle_info']) obj(body, f);

  const merchant = state.merchants.get(mchid)!;
  if (!merchant.appids.has(appid)) throw new SimError(400, 'APPID_MCHID_NOT_MATCH', `appid ${appid} is not bound to mchid ${mchid}`);
  const now = state.now();
  if (expire && expire.ms <= now) throw new SimError(400, 'INVALID_REQUEST', 'time_expire is in the past');
  if (expire && expire.ms - now > MAX_PAYABLE_MS) throw new SimError(400, 'INVALID_REQUEST', 'time_expire is more than 90 days ahead');

  const fingerprint = canonical({ appid, description, notify, attach, goodsTag, total, cur, openid, expire: expire?.text, d: body.detail, s: body.scene_info, st: body.settle_info });
  const key = orderKey(mchid, outTradeNo);
  const existing = state.orders.get(key);
  if (existing) return reuse(state, existing, fingerprint, now);

  const order: Order = {
    mchid, appid, out_trade_no: outTradeNo, description, notify_url: notify, attach, goods_tag: goodsTag,
    time_expire: expire?.text, payableUntil: expire?.ms ?? now + DEFAULT_PAYABLE_MS,
    amount: { total, currency: cur }, payer: { openid }, fingerprint, createdAt: now,
    prepay: { id: prepayId(now), expiresAt: now + PREPAY_TTL_MS }, trade_state: 'NOTPAY', refunded: 0, refundCount: 0,
  };
  state.orders.set(key, order);
  state.prepays.set(order.prepay.id, key);
  state.changed('orders', key);
  state.changed('prepays', order.prepay.id);
  return { status: 200, body: { prepay_id: order.prepay.id } };
}

/** Same out_trade_no again: identical parameters get a prepay (the live one, or a fresh one once it
 *  expired); different parameters or a finished order are refused. */
function reuse(state: SimState, o: Order, fingerprint: string, now: number): Reply {
  if (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND') throw new SimError(400, 'ORDERPAID', '该订单已支付');
  if (o.trade_state === 'CLOSED') throw new SimError(400, 'ORDER_CLOSED', '该订单已关闭');
  if (o.fingerprint !== fingerprint) {
    throw new SimError(403, 'OUT_TRADE_NO_USED', 'out_trade_no already used with different parameters');
  }
  if (o.prepay.expiresAt <= now) {
    o.prepay = { id: prepayId(now), expiresAt: now + PREPAY_TTL_MS };
    state.prepays.set(o.prepay.id, orderKey(o.mchid, o.out_trade_no));
    state.changed('orders', orderKey(o.mchid, o.out_trade_no));
    state.changed('prepays', o.prepay.id);
  }
  return { status: 200, body: { prepay_id: o.prepay.id } };
}

function requireMchidQuery(ctx: Ctx): void {
  const mchid = ctx.query.get('mchid');
  if (!mchid) throw paramError('mchid', 'is required', 'query');
  if (mchid !== ctx.mchid) throw paramError('mchid', `must equal the mchid in Authorization (${ctx.mchid})`, 'query');
}

export function queryByOutTradeNo(state: SimState, ctx: Ctx): Reply {
  requireMchidQuery(ctx);
  const o = state.orders.get(orderKey(ctx.mchid, ctx.params[0]));
  if (!o) throw orderNotExist();
  return { status: 200, body: transactionView(o) };
}

export function queryByTransactionId(state: SimState, ctx: Ctx): Reply {
  requireMchidQuery(ctx);
  const key = state.transactions.get(ctx.params[0]);
  const o = key ? state.orders.get(key) : undefined;
  if (!o || o.mchid !== ctx.mchid) throw orderNotExist();
  return { status: 200, body: transactionView(o) };
}

export function closeOrder(state: SimState, ctx: Ctx): Reply {
  const body = parseJson(ctx);
  const mchid = str(body, 'mchid', { required: true })!;
  if (mchid !== ctx.mchid) throw paramError('mchid', `must equal the mchid in Authorization (${ctx.mchid})`);
  const o = state.orders.get(orderKey(mchid, ctx.params[0]));
  if (!o) throw orderNotExist();
  if (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND') throw new SimError(400, 'ORDERPAID', '订单已支付，不能关闭');
  o.trade_state = 'CLOSED'; // closing NOTPAY, PAYERROR or an already CLOSED order: 204 (idempotent)
  state.changed('orders', orderKey(mchid, ctx.params[0]));
  return { status: 204 };
}

/**
 * What the payer does in wx.requestPayment. FAIL (the payment fails on the phone) leaves a JSAPI order
 * NOTPAY and payable: PAYERROR is a micropay (付款码) state that JSAPI never reaches.
 */
export type PayResult = 'SUCCESS' | 'FAIL' | 'CANCEL';

/** The user in wx.requestPayment. Returns the errMsg the mini-program would see. */
export function pay(state: SimState, prepay: string, result: PayResult): { errMsg: string; order?: Order } {
  const key = state.prepays.get(prepay);
  const o = key ? state.orders.get(key) : undefined;
  const now = state.now();
  if (!o) throw new SimError(404, 'PREPAY_NOT_FOUND', `no prepay ${prepay}`);
  if (o.prepay.id !== prepay || o.prepay.expiresAt <= now) throw new SimError(400, 'PREPAY_EXPIRED', 'prepay_id expired (valid 2 h); create it again');
  if (o.trade_state !== 'NOTPAY' && o.trade_state !== 'PAYERROR') {
    throw new SimError(409, 'ORDER_NOT_PAYABLE', `order is ${o.trade_state}`);
  }
  if (o.payableUntil <= now) throw new SimError(400, 'ORDER_EXPIRED', 'time_expire has passed');
  if (result === 'CANCEL') return { errMsg: 'requestPayment:fail cancel', order: o };
  if (result === 'FAIL') return { errMsg: 'requestPayment:fail payment failed', order: o };
  o.trade_state = 'SUCCESS';
  o.transaction_id = transactionId(now);
  o.success_time = formatWechatTime(now);
  o.bank_type = 'OTHERS';
  state.transactions.set(o.transaction_id, key!);
  state.changed('orders', key!);
  state.changed('transactions', o.transaction_id);
  enqueueNotification(state, {
    event_type: 'TRANSACTION.SUCCESS', summary: '支付成功', original_type: 'transaction',
    resource: transactionView(o), notify_url: o.notify_url, out_trade_no: o.out_trade_no, mchid: o.mchid,
  });
  return { errMsg: 'requestPayment:ok', order: o };
}
