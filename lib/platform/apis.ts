/**
 * The mini-program platform APIs we call (shared notes shipping.md): each has a cloud-call name
 * (WeChat Cloud, no access_token) and an HTTP path under https://api.weixin.qq.com (access_token).
 */
export const PLATFORM_APIS = {
  uploadShippingInfo: { cloud: 'wxa.sec.order.uploadShippingInfo', path: '/wxa/sec/order/upload_shipping_info' },
  getOrder: { cloud: 'wxa.sec.order.getOrder', path: '/wxa/sec/order/get_order' },
  notifyConfirmReceive: { cloud: 'wxa.sec.order.notifyConfirmReceive', path: '/wxa/sec/order/notify_confirm_receive' },
  isTradeManaged: { cloud: 'wxa.sec.order.isTradeManaged', path: '/wxa/sec/order/is_trade_managed' },
} as const;

export type PlatformApi = keyof typeof PLATFORM_APIS;

/** WeChat's answer, errcode 0 on success. Refusals are answers, not exceptions. */
export interface PlatformAnswer {
  errcode: number;
  errmsg: string;
  [field: string]: unknown;
}

/** The one seam to the platform: a cloud call on WeChat Cloud, an access token elsewhere. */
export interface MiniPlatform {
  /** Resolves with WeChat's answer (any errcode); rejects only when no answer came (network, timeout). */
  call(api: PlatformApi, body: Record<string, unknown>): Promise<PlatformAnswer>;
}

/** Errcodes that mean "not now": ask again later (-1 system error, 44990 rate limit, 45009 daily quota). */
export const TRANSIENT_ERRCODES: ReadonlySet<number> = new Set([-1, 44990, 45009, -604102, -501001, -601001]);
