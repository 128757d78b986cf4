/**
 * Believing the platform: what getOrder says about this very order (our mchid + out_trade_no) is
 * the only proof of a receipt or a settlement. The settlement push, the mini-program's "I
 * confirmed" and the timer all only trigger this check; the step goes through the transition.
 */
import type { FulfilmentDeps } from './deps';
import type { Fulfilment, FulfilmentSource, FulfilmentStatus } from './model';
import { applyFulfilment, isForward, statusForOrderState } from './transition';

export type CheckOutcome = { kind: 'moved'; from: FulfilmentStatus; to: FulfilmentStatus } | { kind: 'unchanged'; status: FulfilmentStatus } | { kind: 'unavailable'; errcode: number };

export async function checkWithPlatform(deps: FulfilmentDeps, outTradeNo: string, f: Fulfilment, source: FulfilmentSource): Promise<CheckOutcome> {
  const answer = await deps.platform.call('getOrder', { merchant_id: deps.mchid, merchant_trade_no: outTradeNo }).catch(() => ({ errcode: -1, errmsg: 'no answer' }) as const);
  if (answer.errcode !== 0) {
    deps.log('fulfilment.check_failed', { outTradeNo, errcode: answer.errcode });
    return { kind: 'unavailable', errcode: answer.errcode };
  }
  const order = (answer as { order?: { order_state?: unknown; merchant_trade_no?: unknown } }).order;
  // An answer about another order is no proof about this one.
  const state = order && order.merchant_trade_no === outTradeNo && typeof order.order_state === 'number' ? order.order_state : 0;
  const target = statusForOrderState(state);
  const now = new Date(deps.now());
  if (target && isForward(f.status, target)) {
    const set: Partial<Fulfilment> = { checkedAt: now, ...(target === 'CONFIRMED' || target === 'SETTLED' ? { confirmedAt: f.confirmedAt ?? now } : {}), ...(target === 'SETTLED' ? { settledAt: now } : {}) };
    if (await applyFulfilment(deps.db, outTradeNo, { from: f.status, to: target, source, guard: { 'fulfilment.outbox': null }, set }, deps.now())) {
      deps.log('fulfilment.transition', { outTradeNo, from: f.status, to: target, source });
      return { kind: 'moved', from: f.status, to: target };
    }
  }
  await applyFulfilment(deps.db, outTradeNo, { from: f.status, to: f.status, source, record: false, set: { checkedAt: now } }, deps.now());
  return { kind: 'unchanged', status: f.status };
}
