/**
 * What the refund logic needs from outside, passed in like the order logic's deps. The gateway is
 * the lib/wechatpay client as it is (createRefund/queryRefund), typed down to the fields we read.
 */
import type { OrderDeps } from '../orders/deps';

/** A refund as WeChat Pay answers createRefund/queryRefund (verified by the client). */
export interface WxRefund {
  refund_id?: string;
  out_refund_no?: string;
  out_trade_no?: string;
  status?: string;
  success_time?: string;
  amount?: { refund?: number; total?: number; currency?: string };
}

export interface CreateRefundRequest {
  out_trade_no: string;
  out_refund_no: string;
  reason: string;
  notify_url: string;
  amount: { refund: number; total: number; currency: 'CNY' };
}

export interface RefundGateway {
  createRefund(request: CreateRefundRequest): Promise<WxRefund>;
  queryRefund(outRefundNo: string): Promise<WxRefund>;
}

export interface RefundSettings {
  /** openids allowed to call refundOrder (REFUND_ADMIN_OPENIDS). Empty: nobody may refund. */
  adminOpenids: ReadonlySet<string>;
  /** The timer leaves younger PROCESSING refunds alone: their notification is probably coming. */
  reconcileMinAgeSeconds: number;
}

export interface RefundDeps extends OrderDeps {
  refundPay: RefundGateway;
  refundSettings: RefundSettings;
}
