/**
 * REFUND.SUCCESS | REFUND.ABNORMAL | REFUND.CLOSED, already verified and decrypted by payNotify
 * (lib/orders/notify.ts applyNotification calls this through its onRefundNotification hook). Throwing makes payNotify
 * answer 500 so WeChat Pay retries; anything a retry cannot fix is recorded and acknowledged.
 */
import { getDocOrNull } from '../store/db';
import { recordEvent } from '../store/events';
import { COLLECTIONS } from '../store/collections';
import type { VerifiedNotification } from '../orders/notify';
import type { RefundDeps } from './deps';
import type { Refund } from './model';
import { syncRefund, type WxRefundFacts } from './sync';

interface RefundResource extends WxRefundFacts {
  out_refund_no?: string;
}

export async function handleRefundNotification(deps: RefundDeps, notification: VerifiedNotification): Promise<void> {
  const resource = (notification.resource ?? {}) as RefundResource;
  const no = resource.out_refund_no;
  const refund = no ? ((await getDocOrNull(deps.db, COLLECTIONS.refunds, no)) as Refund | null) : null;
  let detail: string;
  if (!refund) {
    detail = 'unknown refund';
    deps.log('refund.anomaly', { id: notification.id, reason: detail, outRefundNo: no, outTradeNo: resource.out_trade_no });
    await recordEvent(deps.db, {
      _id: `anomaly:notify:${notification.id}`, kind: 'anomaly', source: 'notify', outTradeNo: resource.out_trade_no,
      eventType: notification.event_type, detail: `${detail} ${no ?? ''}`.trim(), at: new Date(deps.now()),
    });
  } else if (notification.event_type !== `REFUND.${resource.refund_status}`) {
    detail = `event ${notification.event_type} carries refund_status ${resource.refund_status}`;
    deps.log('refund.anomaly', { id: notification.id, reason: detail, outRefundNo: no });
    await recordEvent(deps.db, {
      _id: `anomaly:notify:${notification.id}`, kind: 'anomaly', source: 'notify', outTradeNo: refund.outTradeNo,
      eventType: notification.event_type, detail, at: new Date(deps.now()),
    });
  } else {
    // Always run the (idempotent) sync, even for a notification seen before: an earlier attempt
    // may have failed between recording it and applying it.
    const outcome = await syncRefund(deps, refund, resource, 'notify', `notify:${notification.id}`);
    detail = outcome.kind === 'anomaly' ? outcome.reason : outcome.kind;
  }
  const fresh = await recordEvent(deps.db, {
    _id: `notify:${notification.id}`, kind: 'notification', source: 'notify', eventType: notification.event_type,
    outTradeNo: refund?.outTradeNo ?? resource.out_trade_no, tradeState: resource.refund_status,
    amountTotal: resource.amount?.refund, detail: `refund ${no ?? '?'}: ${detail}`, at: new Date(deps.now()),
  });
  if (!fresh) deps.log('notify.duplicate', { id: notification.id });
}
