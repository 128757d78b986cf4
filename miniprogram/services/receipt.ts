// Confirm receipt through WeChat's own component (weappOrderConfirm). Its answer comes back in
// App.onShow from the component's appId; it is never proof — the app only asks the server to
// check with the platform (tradeEvents → getOrder), and the order list shows what the server says.
import { api } from './api';

/** The confirm-receipt component's appId (as App.onShow reports it in referrerInfo). */
export const CONFIRM_RECEIPT_APPID = 'wx1183b055aeec94d1';

// Kept in storage, not a variable: app.js and each page are separate bundles (and the app may be
// restarted while the component is open).
const PENDING_KEY = 'pendingReceiptCheck';

// Not in miniprogram-api-typings (base library ≥ 2.6.0 has it; shared notes miniprogram/shipping).
interface BusinessViewWx {
  openBusinessView(options: { businessType: string; extraData: Record<string, string>; success?: (r: unknown) => void; fail?: (e: unknown) => void }): void;
}

export function openConfirmReceipt(outTradeNo: string, transactionId: string): Promise<unknown> {
  wx.setStorageSync(PENDING_KEY, outTradeNo);
  return new Promise((resolve, reject) => {
    (wx as unknown as BusinessViewWx).openBusinessView({
      businessType: 'weappOrderConfirm',
      extraData: { transaction_id: transactionId },
      success: resolve,
      fail: (err: unknown) => {
        wx.removeStorageSync(PENDING_KEY);
        reject(err);
      },
    });
  });
}

/** App.onShow: back from the component? Ask the server to check (the result is not believed). */
export function onAppShow(options: { referrerInfo?: { appId?: string } } | undefined): Promise<void> {
  const outTradeNo = String(wx.getStorageSync(PENDING_KEY) || '');
  if (!outTradeNo || options?.referrerInfo?.appId !== CONFIRM_RECEIPT_APPID) return Promise.resolve();
  wx.removeStorageSync(PENDING_KEY);
  return api.checkReceipt(outTradeNo).then(() => undefined, () => undefined);
}
