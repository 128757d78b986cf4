// The /__sim namespace: the payer, the delivery log, faults, clock, reset, login codes, the ledger.
// Never mixed with the real paths; unauthenticated because it only listens on loopback.
import { formatWechatTime } from '../../lib/wechatpay/time';
import { buildPaySignMessage, verifySha256Rsa } from '../../lib/wechatpay';
import { SimError } from './errors';
import { injectedCounts, parseFaults } from './faults';
import { parseJson, type Ctx, type Reply } from './http';
import { mintLoginCode } from './login';
import { keysView } from './keys';
import { rotateCertificate } from './platform';
import { createPrng } from '../shared/prng';
import type { Order, Refund } from './types';
import type { SimState } from './state';
import { resendNotification } from './notify';
import { pay, type PayResult } from './transactions';

const body = (ctx: Ctx): Record<string, unknown> => (ctx.rawBody.length ? parseJson(ctx) : {});

/** Plays the user in wx.requestPayment. Accepts {prepay_id} or the requestPayment params themselves
 *  ({package, timeStamp, nonceStr, signType, paySign}); when paySign is given it is verified. */
export function simPay(state: SimState, ctx: Ctx): Reply {
  const b = body(ctx);
  const pkg = typeof b.package === 'string' ? b.package : undefined;
  const prepay = typeof b.prepay_id === 'string' ? b.prepay_id : pkg?.startsWith('prepay_id=') ? pkg.slice(10) : undefined;
  if (!prepay) throw new SimError(400, 'PARAM_ERROR', 'prepay_id (or package "prepay_id=…") is required');
  const result = (b.result ?? 'SUCCESS') as PayResult;
  if (result === ('PAYERROR' as string)) {
    throw new SimError(400, 'PARAM_ERROR', 'JSAPI payments never become PAYERROR (a micropay/付款码 state): use result FAIL, which leaves the order NOTPAY and payable');
  }
  if (!['SUCCESS', 'FAIL', 'CANCEL'].includes(result)) throw new SimError(400, 'PARAM_ERROR', 'result must be SUCCESS, FAIL or CANCEL');
  if (b.paySign !== undefined) checkPaySign(state, prepay, b);
  const r = pay(state, prepay, result);
  const o = r.order!;
  return { status: 200, body: { errMsg: r.errMsg, out_trade_no: o.out_trade_no, trade_state: o.trade_state, transaction_id: o.transaction_id } };
}

function checkPaySign(state: SimState, prepay: string, b: Record<string, unknown>): void {
  const key = state.prepays.get(prepay);
  const order = key ? state.orders.get(key) : undefined;
  if (!order) throw new SimError(404, 'PREPAY_NOT_FOUND', `no prepay ${prepay}`);
  const { timeStamp, nonceStr, signType, paySign } = b;
  const bad = (why: string): never => {
    throw new SimError(400, 'PAY_SIGN_INVALID', `requestPayment:fail ${why}`);
  };
  if (typeof timeStamp !== 'string' || !/^\d{1,10}$/.test(timeStamp)) bad('timeStamp must be a string of seconds');
  if (typeof nonceStr !== 'string' || nonceStr.length === 0 || nonceStr.length > 32) bad('nonceStr must be a string of 1..32 characters');
  if (signType !== 'RSA') bad('signType must be "RSA"');
  const message = buildPaySignMessage(order.appid, timeStamp as string, nonceStr as string, `prepay_id=${prepay}`);
  const merchant = state.merchants.get(order.mchid)!;
  if (typeof paySign !== 'string' || !verifySha256Rsa(message, paySign, merchant.publicKeyPem)) bad('paySign does not verify (appId\\ntimeStamp\\nnonceStr\\npackage\\n with the merchant key)');
}

export function simNotifications(state: SimState, ctx: Ctx): Reply {
  const otn = ctx.query.get('out_trade_no');
  const list = state.deliveries.filter((d) => !otn || d.out_trade_no === otn);
  return { status: 200, body: { notifications: list } };
}

/** One more attempt of a logged notification, now (see resendNotification) → the delivery. */
export function simResendNotification(state: SimState, ctx: Ctx): Reply {
  const id = ctx.params[0];
  const delivery = state.deliveries.find((d) => d.id === id);
  if (!delivery) throw new SimError(404, 'NOTIFICATION_NOT_FOUND', `no notification ${id} in the delivery log`);
  resendNotification(state, delivery);
  return { status: 202, body: delivery };
}

export function simGetFaults(state: SimState): Reply {
  return { status: 200, body: { faults: state.faults, seed: state.seed, injected: injectedCounts(state.faults) } };
}

/** Replaces the whole fault set ({} clears); `seed` restarts the PRNG for reproducible runs. */
export function simSetFaults(state: SimState, ctx: Ctx): Reply {
  const b = body(ctx);
  const faults = parseFaults(b);
  if (b.seed !== undefined) {
    if (!Number.isInteger(b.seed)) throw new SimError(400, 'PARAM_ERROR', 'seed must be an integer');
    state.seed = b.seed as number;
    state.prng = createPrng(state.seed);
  }
  state.faults = faults;
  return { status: 200, body: { faults, seed: state.seed } };
}

export function simReset(state: SimState): Reply {
  state.reset();
  return { status: 204 };
}

export function simLoginCode(state: SimState, ctx: Ctx): Reply {
  const b = body(ctx);
  if (typeof b.openid !== 'string' || b.openid.length === 0) throw new SimError(400, 'PARAM_ERROR', 'openid is required');
  if (b.appid !== undefined && typeof b.appid !== 'string') throw new SimError(400, 'PARAM_ERROR', 'appid must be a string');
  return { status: 200, body: { code: mintLoginCode(state, b.openid, b.appid as string | undefined) } };
}

function clockView(state: SimState): Reply {
  const now = state.now();
  return { status: 200, body: { now, time: formatWechatTime(now), offsetMs: state.clock.offsetMs, timeScale: state.timeScale } };
}

export function simGetClock(state: SimState): Reply {
  return clockView(state);
}

/** {advanceSeconds} moves business time forward; whatever became due (retries, refunds) fires. */
export function simAdvanceClock(state: SimState, ctx: Ctx): Reply {
  const s = body(ctx).advanceSeconds;
  if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) throw new SimError(400, 'PARAM_ERROR', 'advanceSeconds must be a number >= 0');
  state.clock.advance(s * 1000);
  state.scheduler.rearm();
  return clockView(state);
}

/**
 * The ledger the chaos tests check against the merchant's own records; `?transaction_id=` or
 * `?mchid=&out_trade_no=` answer that one transaction by key (the CloudBase emulator's platform asks
 * per shipping call; listing the whole ledger each time grew with it).
 */
export function simTransactions(state: SimState, ctx: Ctx): Reply {
  const q = ctx.query;
  let orders: Order[];
  if (q.has('transaction_id') || q.has('out_trade_no')) {
    const key = q.has('transaction_id') ? state.transactions.get(q.get('transaction_id')!) : `${q.get('mchid') ?? state.credentials.mchid}:${q.get('out_trade_no')}`;
    const one = key ? state.orders.get(key) : undefined;
    orders = one ? [one] : [];
  } else orders = [...state.orders.values()];
  // Grouped once: a filter per order made this O(orders × refunds).
  const refunds = new Map<string, Refund[]>();
  const wanted = new Set(orders.map((o) => `${o.mchid}:${o.out_trade_no}`));
  for (const r of state.refunds.values()) {
    const key = `${r.mchid}:${r.out_trade_no}`;
    if (wanted.has(key)) refunds.set(key, [...(refunds.get(key) ?? []), r]);
  }
  const transactions = orders.map((o) => ({
    mchid: o.mchid, appid: o.appid, out_trade_no: o.out_trade_no, transaction_id: o.transaction_id ?? null,
    trade_state: o.trade_state, amount: o.amount, success_time: o.success_time ?? null, payer: o.payer,
    prepay_id: o.prepay.id, refunded: o.refunded,
    refunds: (refunds.get(`${o.mchid}:${o.out_trade_no}`) ?? [])
      .map((r) => ({ out_refund_no: r.out_refund_no, refund_id: r.refund_id, status: r.status, amount: r.amount.refund })),
  }));
  return { status: 200, body: { transactions } };
}

export function simRotateCertificate(state: SimState): Reply {
  if (state.platform.mode === 'publicKey') throw new SimError(400, 'INVALID_REQUEST', 'rotation needs platform certificates (certificate or migration mode; POST /__sim/keys)');
  return { status: 200, body: { serial: rotateCertificate(state.platform, state.now()).serial } };
}

/** Public facts only: never a key or the APIv3 key. */
export function simInfo(state: SimState): Reply {
  const c = state.credentials;
  const keys = keysView(state.platform);
  const platformSerial = state.platform.mode === 'publicKey' ? keys.publicKeyId : keys.signingCertificate;
  return { status: 200, body: { mchid: c.mchid, appid: c.appid, merchantSerialNo: c.merchant.serialNo, platformMode: state.platform.mode, platformSerial, platformSerials: keys.activeSerials } };
}
