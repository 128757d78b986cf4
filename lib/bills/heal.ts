/**
 * Healing: the bill says paid (or refunded) and we do not. The bill itself is never believed for a
 * state change: we ask WeChat Pay about that very order (refund) with a verified query, check the
 * answer is about what we asked, and hand it to the one sync/transition path every other source
 * uses (syncOrderWithTransaction → applyTradeState; syncRefund → applyRefundState).
 */
import { fetchTransaction, loadOrder } from '../orders/query';
import { syncOrderWithTransaction } from '../orders/sync';
import type { Refund } from '../refunds/model';
import { syncRefund } from '../refunds/sync';
import { COLLECTIONS } from '../store/collections';
import { getDocOrNull } from '../store/db';
import type { BillDeps } from './deps';
import type { Discrepancy, HealedItem } from './model';

export type HealOutcome = { kind: 'healed'; item: HealedItem } | { kind: 'matched' } | { kind: 'refused'; discrepancy: Discrepancy };

const NOT_FOUND = new Set(['ORDER_NOT_EXIST', 'RESOURCE_NOT_EXISTS']);

export async function healOrder(deps: BillDeps, outTradeNo: string): Promise<HealOutcome> {
  const order = await loadOrder(deps, outTradeNo);
  const refused = (detail: string): HealOutcome => ({
    kind: 'refused',
    discrepancy: { kind: 'HEAL_REFUSED', outTradeNo, bill: { status: 'SUCCESS' }, ours: order ? { amountFen: order.amount.total, status: order.status } : undefined, detail },
  });
  if (!order) return refused('the order disappeared while reconciling');
  if (order.status === 'SUCCESS' || order.status === 'REFUND') return { kind: 'matched' }; // a notification got there first
  const tx = await fetchTransaction(deps, outTradeNo);
  if (!tx) return refused('WeChat Pay\'s verified query has no such order, though the bill lists a payment');
  if (tx.out_trade_no !== outTradeNo) return refused(`the verified query answered about ${tx.out_trade_no}, not ${outTradeNo}`);
  const outcome = await syncOrderWithTransaction(deps, order, tx, 'bill', `bill:${outTradeNo}:${tx.trade_state}:${tx.transaction_id ?? ''}`);
  if (outcome.kind === 'applied' && outcome.result.to === 'SUCCESS') {
    return { kind: 'healed', item: { outTradeNo, from: outcome.result.from, to: outcome.result.to, amountFen: order.amount.total, ...(tx.success_time ? { successTime: tx.success_time } : {}) } };
  }
  if (outcome.kind === 'anomaly') return refused(`the verified query disagrees with our order: ${outcome.reason}`);
  const now = await loadOrder(deps, outTradeNo);
  if (now?.status === 'SUCCESS' || now?.status === 'REFUND') return { kind: 'matched' };
  return refused(`the bill lists a payment but WeChat Pay's verified query says ${tx.trade_state}`);
}

export async function healRefund(deps: BillDeps, outRefundNo: string): Promise<HealOutcome> {
  const load = async (): Promise<Refund | null> => (await getDocOrNull(deps.db, COLLECTIONS.refunds, outRefundNo)) as Refund | null;
  const refund = await load();
  const refused = (detail: string): HealOutcome => ({
    kind: 'refused',
    discrepancy: { kind: 'HEAL_REFUSED', outTradeNo: refund?.outTradeNo, outRefundNo, bill: { status: 'SUCCESS' }, ours: refund ? { amountFen: refund.amount, status: refund.status } : undefined, detail },
  });
  if (!refund) return refused('the refund disappeared while reconciling');
  if (refund.status === 'SUCCESS') return { kind: 'matched' };
  let wx;
  try {
    wx = await deps.refundPay.queryRefund(outRefundNo);
  } catch (err) {
    if (NOT_FOUND.has((err as { code?: string }).code ?? '')) return refused('WeChat Pay\'s verified query has no such refund, though the bill lists it');
    throw err;
  }
  if (wx.out_refund_no !== undefined && wx.out_refund_no !== outRefundNo) return refused(`the verified query answered about refund ${wx.out_refund_no}`);
  const outcome = await syncRefund(deps, refund, wx, 'bill', `bill:${outRefundNo}:${wx.status ?? ''}`);
  if (outcome.kind === 'applied' && outcome.result.to === 'SUCCESS') {
    return { kind: 'healed', item: { outTradeNo: refund.outTradeNo, outRefundNo, from: outcome.result.from, to: outcome.result.to, amountFen: refund.amount } };
  }
  if (outcome.kind === 'anomaly') return refused(`the verified query disagrees with our refund: ${outcome.reason}`);
  if ((await load())?.status === 'SUCCESS') return { kind: 'matched' };
  return refused(`the bill lists the refund as SUCCESS but WeChat Pay's verified query says ${wx.status}`);
}
