// The simulator's records. Field names follow the wire format where they are echoed back.
export type TradeState = 'NOTPAY' | 'SUCCESS' | 'PAYERROR' | 'CLOSED' | 'REFUND';
export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';

export interface Merchant {
  mchid: string;
  appids: Set<string>;
  /** Serial of the merchant API certificate the Authorization must name. */
  serialNo: string;
  publicKeyPem: string;
  apiV3Key: string;
}

export interface Order {
  mchid: string;
  appid: string;
  out_trade_no: string;
  description: string;
  notify_url: string;
  attach?: string;
  goods_tag?: string;
  time_expire?: string;
  /** Business-clock ms after which the order cannot be paid (time_expire, default 7 days). */
  payableUntil: number;
  amount: { total: number; currency: string };
  payer: { openid: string };
  /** Canonical JSON of the request fields that must match when the same out_trade_no is re-used. */
  fingerprint: string;
  createdAt: number;
  prepay: { id: string; expiresAt: number };
  trade_state: TradeState;
  transaction_id?: string;
  success_time?: string;
  bank_type?: string;
  refunded: number;
  refundCount: number;
  /** Business-clock ms of the last refund created for this order (the one-minute spacing rule). */
  lastRefundAt?: number;
}

export interface Refund {
  mchid: string;
  refund_id: string;
  out_refund_no: string;
  out_trade_no: string;
  transaction_id: string;
  reason?: string;
  notify_url?: string;
  funds_account?: string;
  amount: { refund: number; total: number; currency: string };
  fingerprint: string;
  status: RefundStatus;
  createdAt: number;
  success_time?: string;
  /** Business-clock ms when a PROCESSING refund gets its outcome, and which (set at creation). */
  finishAt?: number;
  plannedOutcome?: 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
}

export type AttemptOutcome = 'delivered' | 'rejected' | 'timeout' | 'network_error' | 'dropped' | 'unroutable';

export interface Attempt {
  n: number;
  /** Business-clock ms when it was sent. */
  at: number;
  /** Nominal delay before this attempt on the real schedule (0 for the first), before the time scale. */
  scheduledDelaySeconds: number;
  outcome: AttemptOutcome;
  /** Status of each copy sent (several with the duplicate fault). */
  statuses: number[];
  /** Wechatpay-Serial each copy was signed under. */
  serials?: string[];
  probe?: { status?: number; outcome: AttemptOutcome };
  corrupted?: 'signature' | 'ciphertext';
  error?: string;
  /** Sent by POST /__sim/notifications/{id}/resend rather than the retry schedule. */
  manual?: true;
}

export interface Delivery {
  id: string;
  event_type: string;
  out_trade_no: string;
  out_refund_no?: string;
  /** notify_url as registered with the order (https). */
  notify_url: string;
  /** Where it is actually POSTed (after notifyRedirects), or undefined when unroutable. */
  target?: string;
  /** The exact body sent on every attempt; each attempt is signed afresh. */
  body: string;
  state: 'pending' | 'delivered' | 'gave_up';
  attempts: Attempt[];
  nextAttemptAt?: number;
  createdAt: number;
}

export interface LoginCode {
  code: string;
  openid: string;
  appid?: string;
  expiresAt: number;
  used: boolean;
}
