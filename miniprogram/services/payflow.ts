// The payment sequence shared by checkout, result and orders:
// createOrder → payment sheet → queryOrder until the server agrees (the client's "ok" is not proof:
// the notification may land after it, so we poll with growing waits for a short while).
import { config, localConfig } from '../config';
import { api, CreateOrderInput, CreateOrderResult, OrderView } from './api';
import { formatPrice } from '../../lib/contract/money';
import { localRequestPayment } from './local';
import { sleep } from './wxp';

export type OutcomeKind = 'paid' | 'cancelled' | 'failed' | 'pending';
export interface PayOutcome { kind: OutcomeKind; outTradeNo: string; total: number }

type SheetResult = 'ok' | 'cancel' | 'fail';

/** wx.requestPayment reduced to ok / cancel / fail. "fail cancel" is the user closing the sheet. */
async function paymentSheet(order: CreateOrderResult): Promise<SheetResult> {
  const p = order.payment;
  try {
    if (__MP_LOCAL__) {
      await localRequestPayment(localConfig(), p.package, formatPrice(order.amount.total));
    } else {
      await new Promise<void>((resolve, reject) => {
        wx.requestPayment({
          timeStamp: p.timeStamp, nonceStr: p.nonceStr, package: p.package, signType: p.signType, paySign: p.paySign,
          success: () => resolve(),
          fail: reject,
        });
      });
    }
    return 'ok';
  } catch (err) {
    const errMsg = String((err && (err as { errMsg?: string }).errMsg) || '');
    return /:fail cancel/.test(errMsg) ? 'cancel' : 'fail';
  }
}

/** Final kind for a server status, or null while it is still unpaid. */
export function kindOf(status: OrderView['status']): OutcomeKind | null {
  if (status === 'SUCCESS' || status === 'REFUND') return 'paid';
  if (status === 'CLOSED' || status === 'PAYERROR') return 'failed';
  return null;
}

/** Polls queryOrder now and after each configured wait; 'pending' if the server never settles. */
export async function confirmPayment(outTradeNo: string, delaysMs: number[] = config.pollDelaysMs): Promise<OutcomeKind> {
  for (let attempt = 0; attempt <= delaysMs.length; attempt++) {
    if (attempt > 0) await sleep(delaysMs[attempt - 1]);
    try {
      const kind = kindOf((await api.queryOrder(outTradeNo)).status);
      if (kind) return kind;
    } catch (_) {
      // A failed poll is not a failed payment: keep asking until the waits run out.
    }
  }
  return 'pending';
}

/** Runs the whole sequence. Throws ApiError only if createOrder itself fails (nothing was charged). */
export async function payAndConfirm(input: CreateOrderInput): Promise<PayOutcome> {
  const order = await api.createOrder(input);
  const base = { outTradeNo: order.outTradeNo, total: order.amount.total };
  const sheet = await paymentSheet(order);
  if (sheet === 'cancel') return { kind: 'cancelled', ...base };
  if (sheet === 'fail') return { kind: 'failed', ...base };
  return { kind: await confirmPayment(order.outTradeNo), ...base };
}
