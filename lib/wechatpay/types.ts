/** Wire shapes of the APIv3 objects we use (snake_case exactly as WeChat sends them). */

export interface Amount {
  total: number;
  currency?: string;
  payer_total?: number;
  payer_currency?: string;
}

/** A payment, as returned by the query APIs and inside TRANSACTION.SUCCESS notifications. */
export interface Transaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: string;
  trade_state: 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR' | (string & {});
  trade_state_desc?: string;
  bank_type?: string;
  attach?: string;
  success_time?: string;
  payer?: { openid: string };
  amount?: Amount;
  promotion_detail?: unknown[];
  [extra: string]: unknown;
}

export interface RefundAmount {
  refund: number;
  total: number;
  currency?: string;
  payer_total?: number;
  payer_refund?: number;
  [extra: string]: unknown;
}

/** A refund as returned by createRefund/queryRefund. */
export interface Refund {
  refund_id: string;
  out_refund_no: string;
  transaction_id?: string;
  out_trade_no?: string;
  channel?: string;
  user_received_account?: string;
  status: 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL' | (string & {});
  create_time?: string;
  success_time?: string;
  amount?: RefundAmount;
  [extra: string]: unknown;
}

/** The decrypted resource of a REFUND.* notification (note `refund_status`, not `status`). */
export interface RefundNotificationResource {
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string;
  refund_status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL' | (string & {});
  success_time?: string;
  user_received_account?: string;
  amount?: { total: number; refund: number; payer_total?: number; payer_refund?: number };
  [extra: string]: unknown;
}
