/**
 * Everything the order logic needs from the outside world, passed in (never imported), so the
 * same code runs in a cloud function, in the local stack and in tests with a controlled clock.
 */
import type { Logger } from '../log';
import type { PaymentParams } from '../wechatpay';
import type { Database } from '../store/db';
import type { OrderSettings } from './settings';

/** A WeChat Pay transaction as returned by a verified query or a decrypted notification. */
export interface WxTransaction {
  appid?: string;
  mchid?: string;
  out_trade_no?: string;
  transaction_id?: string;
  trade_state?: string;
  success_time?: string;
  payer?: { openid?: string };
  amount?: { total?: number; currency?: string; payer_total?: number };
}

export interface JsapiPrepayRequest {
  appid: string;
  mchid: string;
  description: string;
  out_trade_no: string;
  time_expire: string;
  notify_url: string;
  amount: { total: number; currency: 'CNY' };
  payer: { openid: string };
}

/** The WeChat Pay calls the order logic makes (lib/wechatpay's client provides them). */
export interface PayGateway {
  jsapiPrepay(request: JsapiPrepayRequest): Promise<{ prepay_id: string }>;
  queryByOutTradeNo(outTradeNo: string): Promise<WxTransaction>;
  closeOrder(outTradeNo: string): Promise<void>;
  /** The wx.requestPayment parameters, signed with the merchant key the gateway holds. */
  paymentParams(prepayId: string): PaymentParams;
}

export type { PaymentParams };

export interface MerchantIdentity {
  appid: string;
  mchid: string;
  notifyUrl: string;
}

export interface OrderDeps {
  db: Database;
  pay: PayGateway;
  merchant: MerchantIdentity;
  settings: OrderSettings;
  /** ms since epoch; a parameter so tests and the simulator's clock agree. */
  now: () => number;
  log: Logger;
}
