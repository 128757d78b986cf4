/**
 * Structured logs from one catalogue of event names, each prefixed with the state machine (or
 * subsystem) it belongs to: order., refund., fulfilment., bill., notify., shop., secrets. Values are whitelisted by the callers:
 * never pass a key, a token, a session key or a raw notification body here.
 */
export type LogEvent =
  | 'order.created'
  | 'order.prepay_reused'
  | 'order.prepay_created'
  | 'order.prepay_failed'
  | 'order.payment_rejected'
  | 'order.transition'
  | 'order.transition_skipped'
  /** A client's queryOrder (or createOrder's catch-up) could not ask WeChat Pay; the timer catches up. */
  | 'order.query_failed'
  | 'order.reconcile_summary'
  | 'order.reconcile_failed'
  /** A transition's audit record the timer tried to finish. */
  | 'order.audit_failed'
  | 'notify.rejected'
  | 'notify.duplicate'
  | 'notify.anomaly'
  | 'notify.applied'
  | 'notify.failed'
  | 'refund.requested'
  | 'refund.transition'
  | 'refund.failed'
  | 'refund.queued'
  | 'refund.anomaly'
  | 'refund.reconcile_failed'
  | 'bill.summary'
  | 'bill.healed'
  | 'bill.discrepancy'
  | 'bill.failed'
  | 'fulfilment.uploaded'
  | 'fulfilment.upload_deferred'
  | 'fulfilment.upload_refused'
  | 'fulfilment.transition'
  | 'fulfilment.check_failed'
  | 'fulfilment.summary'
  | 'fulfilment.push_rejected'
  /** listProducts answered without some or all product pictures (storage refused or failed). */
  | 'shop.images_unavailable'
  | 'secrets.fetched'
  | 'secrets.refresh_failed';

export type Logger = (event: LogEvent, fields?: Record<string, string | number | boolean | null | undefined>) => void;

const LOUD_EVENTS: ReadonlySet<LogEvent> = new Set(['notify.anomaly', 'refund.anomaly', 'notify.failed', 'order.payment_rejected', 'bill.discrepancy', 'bill.failed', 'fulfilment.upload_refused']);

export const consoleLogger: Logger = (event, fields = {}) => {
  const line = JSON.stringify({ event, ...fields });
  if (LOUD_EVENTS.has(event)) console.error(`[ALERT] ${line}`);
  else console.log(line);
};

export const silentLogger: Logger = () => undefined;
