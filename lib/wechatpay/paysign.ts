/** Parameters for wx.requestPayment: timeStamp is a string of seconds, signType is 'RSA'. */
import type { PaymentParams } from '../contract/answers';
import { PrivateKeyInput } from './keys';
import { buildPaySignMessage } from './message';
import { generateNonce } from './nonce';
import { requireString, signSha256Rsa } from './sign';
import { Now, nowSeconds } from './time';

// The shape the mini-program passes on is the contract's (lib/contract/answers.ts).
export type { PaymentParams };

export interface BuildPaymentParamsOptions {
  /** Signed though not passed to wx.requestPayment; must be the appid the prepay was created with. */
  appId: string;
  prepayId: string;
  privateKey: PrivateKeyInput;
  timeStamp?: string | number;
  nonceStr?: string;
  now?: Now;
}

export function buildPaymentParams(opts: BuildPaymentParamsOptions): PaymentParams {
  requireString(opts.appId, 'appId');
  requireString(opts.prepayId, 'prepayId');
  // Strings only: a numeric timeStamp is a classic wx.requestPayment failure.
  const timeStamp = String(opts.timeStamp ?? nowSeconds(opts.now));
  const nonceStr = opts.nonceStr ?? generateNonce();
  const pkg = `prepay_id=${opts.prepayId}`;
  const paySign = signSha256Rsa(buildPaySignMessage(opts.appId, timeStamp, nonceStr, pkg), opts.privateKey);
  return { timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
}
