/**
 * payNotify: WeChat Pay's notification, read top to bottom — parse the HTTP event → verify and
 * decrypt over the raw body → dispatch by event type → 204. Verification failures answer 401
 * and write nothing; failures on our side answer 500 so WeChat Pay retries.
 */
import { jsonResponse, parseHttpEvent, type HttpResponse } from '../http/event';
import { consoleLogger, type Logger } from '../log';
import type { OrderDeps, WxTransaction } from './deps';
import { recordEvent, type PaymentEvent } from '../store/events';
import { syncByOutTradeNo } from './sync';

export interface VerifiedNotification {
  id: string;
  create_time?: string;
  event_type: string;
  resource: unknown;
}

/**
 * The verifier could not decide because something on our side failed (e.g. the platform
 * certificates could not be downloaded): the notification is answered 500 so WeChat Pay retries,
 * never 401, which would call a possibly genuine notification forged.
 */
export class VerifierUnavailableError extends Error {
  readonly code = 'VERIFIER_UNAVAILABLE';
}

export interface NotifyDeps extends OrderDeps {
  /** lib/wechatpay's parseNotification bound to our keys; throws on anything unverified. */
  verifyNotification(input: { headers: Record<string, string>; body: Buffer }): Promise<VerifiedNotification>;
  /** Refund notifications go to the refund state machine when it is installed. */
  onRefundNotification?(notification: VerifiedNotification): Promise<void>;
}

const FAIL_VERIFY = { code: 'FAIL', message: 'notification verification failed' };
const FAIL_RETRY = { code: 'FAIL', message: 'temporary failure, please retry' };

/**
 * The payNotify entry: the deps (configuration, keys, secrets) are built inside the guard, so a
 * broken configuration answers a generic 500 — WeChat Pay retries, and whoever sent the request
 * learns nothing about our setup. The detail goes to the log as an alert (config errors never
 * carry a secret value: lib/config).
 */
export async function servePayNotify(loadDeps: () => NotifyDeps | Promise<NotifyDeps>, event: unknown, log: Logger = consoleLogger): Promise<HttpResponse> {
  let deps: NotifyDeps;
  try {
    deps = await loadDeps();
  } catch (err) {
    const e = err as { name?: string; code?: string; message?: string };
    log('notify.failed', { stage: 'configuration', name: e?.name, code: e?.code ?? 'UNKNOWN', message: String(e?.message ?? err).slice(0, 300) });
    return jsonResponse(500, FAIL_RETRY);
  }
  return handlePayNotify(deps, event);
}

export async function handlePayNotify(deps: NotifyDeps, event: unknown): Promise<HttpResponse> {
  let notification: VerifiedNotification;
  try {
    const request = parseHttpEvent(event);
    if (request.method !== 'POST') return jsonResponse(405, { code: 'FAIL', message: 'POST only' });
    notification = await deps.verifyNotification({ headers: request.headers, body: request.rawBody });
  } catch (err) {
    if (err instanceof VerifierUnavailableError) {
      deps.log('notify.failed', { code: err.code });
      return jsonResponse(500, FAIL_RETRY);
    }
    deps.log('notify.rejected', { code: (err as { code?: string }).code ?? 'UNKNOWN' });
    return jsonResponse(401, FAIL_VERIFY);
  }
  try {
    if (notification.event_type === 'TRANSACTION.SUCCESS') await applyPayment(deps, notification);
    else if (notification.event_type.startsWith('REFUND.') && deps.onRefundNotification) await deps.onRefundNotification(notification);
    else await recordNotification(deps, notification, undefined, 'unhandled event type');
    return jsonResponse(204);
  } catch (err) {
    deps.log('notify.failed', { id: notification.id, code: (err as { code?: string }).code ?? 'UNKNOWN' });
    return jsonResponse(500, FAIL_RETRY);
  }
}

async function applyPayment(deps: NotifyDeps, notification: VerifiedNotification): Promise<void> {
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

function notificationRecord(deps: NotifyDeps, n: VerifiedNotification, tx: WxTransaction | undefined, detail: string): PaymentEvent {
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

async function recordNotification(deps: NotifyDeps, n: VerifiedNotification, tx: WxTransaction | undefined, detail: string): Promise<void> {
  const fresh = await recordEvent(deps.db, notificationRecord(deps, n, tx, detail));
  if (!fresh) deps.log('notify.duplicate', { id: n.id });
}
