/**
 * Applying a verified WeChat Pay notification (checked by lib/wechatpay, answered over HTTP by
 * lib/functions/pay-notify.ts): TRANSACTION.SUCCESS through the order transition, REFUND.* to the
 * refund state machine, anything else recorded. Throwing means "retry" (the answer is 500).
 */
import type { OrderDeps, WxTransaction } from './deps';
import { recordEvent, type PaymentEvent } from '../store/events';
import { syncByOutTradeNo } from './sync';
import { isRefundNotification, isTransactionNotification } from '../wechatpay';

export interface VerifiedNotification {
  id: string;
  create_time?: string;
  event_type: string;
  resource: unknown;
}

export interface ApplyNotificationDeps extends OrderDeps {
  /** Refund notifications go to the refund state machine when it is installed. */
  onRefundNotification?(notification: VerifiedNotification): Promise<void>;
}

export async function applyNotification(deps: ApplyNotificationDeps, notification: VerifiedNotification): Promise<void> {
  if (isTransactionNotification(notification)) await applyPayment(deps, notification);
  else if (isRefundNotification(notification) && deps.onRefundNotification) await deps.onRefundNotification(notification);
  else await recordNotification(deps, notification, undefined, 'unhandled event type');
}

async function applyPayment(deps: OrderDeps, notification: VerifiedNotification): Promise<void> {
  const tx = notification.resource as WxTransaction;
  // Always run the (idempotent) transition, even for a notification seen before: an earlier
  // attempt may have failed between recording it and applying it.
  // When it applies, the notification's own record shares the transition record's insert.
  const outcome = tx.out_trade_no
    ? await syncByOutTradeNo(deps, tx.out_trade_no, tx, 'notify', `notify:${notification.id}`, notificationRecord(deps, notification, tx, 'applied'))
    : ({ kind: 'unknown order' } as const);
  if (outcome.kind === 'unknown order') {
    // Genuinely signed, but not an order of ours: record it loudly and acknowledge, since a
    // retry can never make it match.
    deps.log('notify.anomaly', { id: notification.id, reason: 'unknown order', outTradeNo: tx.out_trade_no });
    await recordEvent(deps.db, {
      _id: `anomaly:notify:${notification.id}`,
      kind: 'anomaly',
      source: 'notify',
      outTradeNo: tx.out_trade_no,
      transactionId: tx.transaction_id,
      amountTotal: tx.amount?.total,
      detail: 'unknown order',
      at: new Date(deps.now()),
    });
    return;
  }
  if (outcome.kind === 'applied') {
    deps.log('notify.applied', { id: notification.id, outTradeNo: tx.out_trade_no });
    return;
  }
  await recordNotification(deps, notification, tx, outcome.kind === 'anomaly' ? outcome.reason : outcome.kind);
}

function notificationRecord(deps: OrderDeps, n: VerifiedNotification, tx: WxTransaction | undefined, detail: string): PaymentEvent {
  return {
    _id: `notify:${n.id}`,
    kind: 'notification',
    source: 'notify',
    eventType: n.event_type,
    outTradeNo: tx?.out_trade_no,
    tradeState: tx?.trade_state,
    transactionId: tx?.transaction_id,
    amountTotal: tx?.amount?.total,
    detail,
    at: new Date(deps.now()),
  };
}

async function recordNotification(deps: OrderDeps, n: VerifiedNotification, tx: WxTransaction | undefined, detail: string): Promise<void> {
  const fresh = await recordEvent(deps.db, notificationRecord(deps, n, tx, detail));
  if (!fresh) deps.log('notify.duplicate', { id: n.id });
}
