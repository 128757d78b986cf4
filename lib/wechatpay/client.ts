/**
 * The APIv3 client for a JSAPI merchant. Built by a factory (never at import time); the clock and base URL
 * are injected so tests and the local stack point it at a simulator without branching on "local".
 */
import { createAgent } from './http';
import { createCertificateManager, PlatformCertificate } from './keyring/certificates';
import { createKeyring, Keyring } from './keyring/keyring';
import { PrivateKeyInput, PublicKeyInput, toPrivateKey } from './keys';
import { apiV3KeyBytes } from './aesgcm';
import { createBillApi } from './bills/api';
import { truncateUtf8, WECHATPAY_BYTE_LIMITS } from './limits';
import { buildPaymentParams, PaymentParams } from './paysign';
import { createRequester } from './requester';
import { buildAuthorization, requireString } from './sign';
import { ERROR_CODES, isWxPayError, WxPayError } from './errors';
import { HeadersInput } from './headers';
import { RawBody } from './message';
import { parseNotification, WechatPayNotification } from './notify';
import { Now } from './time';
import { Refund, Transaction } from './types';

export const DEFAULT_BASE_URL = 'https://api.mch.weixin.qq.com';

export interface WechatPayClientConfig {
  mchid: string;
  /** Serial of the merchant API certificate. */
  serialNo: string;
  privateKey: PrivateKeyInput;
  apiV3Key: string | Buffer;
  /** Defaults for jsapiPrepay / createRefund. */
  appid?: string;
  notifyUrl?: string;
  /** Public-key mode: the PUB_KEY_ID_… and the WeChat Pay public key (sent as Wechatpay-Serial on every request). */
  publicKeyId?: string;
  publicKey?: PublicKeyInput;
  /**
   * Use downloaded platform certificates. Default: true when no publicKey is configured. true together
   * with a publicKey is the migration mode: answers and notifications signed by either are accepted.
   */
  platformCertificates?: boolean;
  /** Default https://api.mch.weixin.qq.com (the local stack sets WXPAY_BASE_URL). */
  baseUrl?: string;
  /** Per attempt, whole exchange. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries for idempotent calls on safe failures. Default 2. */
  maxRetries?: number;
  retryBaseDelayMs?: number;
  /** The clock: returns ms epoch or a Date. Default Date.now. */
  now?: () => Now;
  maxSkewSeconds?: number;
  certificateRefreshIntervalMs?: number;
  certificateMinRefreshIntervalMs?: number;
  userAgent?: string;
  /** Bill downloads: no byte for this long fails the download. Default 30 000 ms. */
  billIdleTimeoutMs?: number;
}

export interface JsapiPrepayInput {
  description: string;
  out_trade_no: string;
  amount: { total: number; currency?: 'CNY' };
  payer: { openid: string };
  appid?: string;
  notify_url?: string;
  time_expire?: string;
  attach?: string;
  goods_tag?: string;
  support_fapiao?: boolean;
  detail?: object;
  scene_info?: object;
  settle_info?: object;
}

export interface CreateRefundInput {
  out_refund_no: string;
  out_trade_no?: string;
  transaction_id?: string;
  reason?: string;
  notify_url?: string;
  amount: { refund: number; total: number; currency: 'CNY'; from?: object[] };
  funds_account?: string;
  goods_detail?: object[];
}

export type WechatPayClient = ReturnType<typeof createWechatPayClient>;
export type KeyMode = 'certificate' | 'publicKey' | 'migration';

/** description/attach within WeChat Pay's byte limits (cut on a character boundary): a long Chinese name still pays. */
function limitedTexts(input: JsapiPrepayInput): { description: string; attach?: string } {
  const description = truncateUtf8(input.description, WECHATPAY_BYTE_LIMITS.description);
  return input.attach === undefined ? { description } : { description, attach: truncateUtf8(input.attach, WECHATPAY_BYTE_LIMITS.attach) };
}

export function createWechatPayClient(config: WechatPayClientConfig) {
  requireString(config.mchid, 'mchid');
  requireString(config.serialNo, 'serialNo');
  apiV3KeyBytes(config.apiV3Key); // fail at construction, not on the first notification
  const privateKey = toPrivateKey(config.privateKey);
  const baseUrl = new URL(config.baseUrl ?? DEFAULT_BASE_URL);
  const agent = createAgent(baseUrl);
  const now = config.now ?? Date.now;

  const staticKeys = createKeyring();
  if (config.publicKey !== undefined || config.publicKeyId !== undefined) {
    requireString(config.publicKeyId, 'publicKeyId (WXPAY_PUBLIC_KEY_ID)');
    if (config.publicKey === undefined) requireString(config.publicKey, 'publicKey (WXPAY_PUBLIC_KEY)');
    staticKeys.set(config.publicKeyId, config.publicKey);
  }
  const useCertificates = config.platformCertificates ?? config.publicKey === undefined;
  if (!useCertificates && config.publicKey === undefined) {
    throw new WxPayError(ERROR_CODES.INVALID_ARGUMENT, 'platformCertificates: false needs publicKeyId/publicKey: nothing could verify WeChat Pay\'s answers');
  }
  const keyMode: KeyMode = !useCertificates ? 'publicKey' : config.publicKey === undefined ? 'certificate' : 'migration';

  // Certificates are looked up after the static public key: both can appear during a migration.
  let certs: ReturnType<typeof createCertificateManager> | undefined;
  const keyring: Keyring = {
    get: (serial) => staticKeys.get(serial) ?? certs?.keyring.get(serial),
    serials: () => [...staticKeys.serials(), ...(certs?.keyring.serials() ?? [])],
  };
  const requester = createRequester({
    baseUrl, agent, mchid: config.mchid, serialNo: config.serialNo, privateKey, keyring, now,
    wechatpaySerial: config.publicKeyId,
    onUnknownSerial: useCertificates ? (serial) => certs!.refreshForSerial(serial) : undefined,
    timeoutMs: config.timeoutMs ?? 10_000,
    maxRetries: config.maxRetries ?? 2,
    retryBaseDelayMs: config.retryBaseDelayMs ?? 200,
    maxSkewSeconds: config.maxSkewSeconds,
    userAgent: config.userAgent ?? 'wxcloud-pay (node)',
  });
  if (useCertificates) {
    certs = createCertificateManager({
      download: () => requester.send({ method: 'GET', path: '/v3/certificates', idempotent: true }),
      // Migration: the download is answered under the public key the request names.
      trustedKeys: staticKeys,
      apiV3Key: config.apiV3Key, now, maxSkewSeconds: config.maxSkewSeconds,
      refreshIntervalMs: config.certificateRefreshIntervalMs,
      minRefreshIntervalMs: config.certificateMinRefreshIntervalMs,
    });
  }

  async function call<T>(c: Parameters<typeof requester.call>[0]): Promise<T> {
    await certs?.refreshIfStale();
    return (await requester.call(c)).data as T;
  }
  const mchidQuery = `mchid=${encodeURIComponent(config.mchid)}`;
  const seg = (value: string, name: string): string => {
    requireString(value, name);
    return encodeURIComponent(value);
  };

  // Bills: the apply is a normal verified call; the download is signed but its answer is checked by SHA-1 (bills/download.ts).
  const bills = createBillApi((c) => call(c), {
    baseUrl, agent, idleTimeoutMs: config.billIdleTimeoutMs ?? 30_000, userAgent: config.userAgent ?? 'wxcloud-pay (node)',
    authorize: (url) => buildAuthorization({ method: 'GET', url, body: '', mchid: config.mchid, serialNo: config.serialNo, privateKey, now: now() }),
  });

  return {
    ...bills,
    /** The keys responses are verified with; pass it to parseNotification as `publicKeys`. */
    keyring,
    /** certificate | publicKey | migration (both at once, while WeChat Pay switches a merchant over). */
    keyMode,
    /** POST /v3/pay/transactions/jsapi → { prepay_id }. Idempotent by out_trade_no (same parameters). */
    jsapiPrepay(input: JsapiPrepayInput): Promise<{ prepay_id: string }> {
      const appid = input.appid ?? config.appid;
      const notify_url = input.notify_url ?? config.notifyUrl;
      requireString(appid, 'appid');
      requireString(notify_url, 'notify_url');
      const body = { ...input, appid, mchid: config.mchid, notify_url, amount: { currency: 'CNY', ...input.amount }, ...limitedTexts(input) };
      return call({ method: 'POST', path: '/v3/pay/transactions/jsapi', body, idempotent: true });
    },
    queryByOutTradeNo(outTradeNo: string): Promise<Transaction> {
      return call({ method: 'GET', path: `/v3/pay/transactions/out-trade-no/${seg(outTradeNo, 'outTradeNo')}?${mchidQuery}`, idempotent: true });
    },
    queryByTransactionId(transactionId: string): Promise<Transaction> {
      return call({ method: 'GET', path: `/v3/pay/transactions/id/${seg(transactionId, 'transactionId')}?${mchidQuery}`, idempotent: true });
    },
    /** 204 on success; closing twice is harmless, so it is retried. */
    async closeOrder(outTradeNo: string): Promise<void> {
      const path = `/v3/pay/transactions/out-trade-no/${seg(outTradeNo, 'outTradeNo')}/close`;
      await call({ method: 'POST', path, body: { mchid: config.mchid }, idempotent: true });
    },
    /** Idempotent by out_refund_no: on SYSTEM_ERROR WeChat asks to retry with the same number. */
    createRefund(input: CreateRefundInput): Promise<Refund> {
      requireString(input.out_refund_no, 'out_refund_no');
      const notify_url = input.notify_url ?? config.notifyUrl;
      const reason = input.reason === undefined ? {} : { reason: truncateUtf8(input.reason, WECHATPAY_BYTE_LIMITS.refundReason) };
      const body = { ...input, ...(notify_url === undefined ? {} : { notify_url }), ...reason };
      return call({ method: 'POST', path: '/v3/refund/domestic/refunds', body, idempotent: true });
    },
    queryRefund(outRefundNo: string): Promise<Refund> {
      return call({ method: 'GET', path: `/v3/refund/domestic/refunds/${seg(outRefundNo, 'outRefundNo')}`, idempotent: true });
    },
    /** wx.requestPayment parameters for a prepay_id, signed with the merchant key this client holds. */
    paymentParams(prepayId: string, options: { appId?: string; now?: Now } = {}): PaymentParams {
      const appId = options.appId ?? config.appid;
      requireString(appId, 'appId');
      return buildPaymentParams({ appId, prepayId, privateKey, now: options.now ?? now() });
    },
    /**
     * A notification checked with this client's keys (lib/wechatpay/notify.ts parseNotification). In
     * certificate and migration mode an unknown serial first refreshes the certificates through the
     * keyring's one rate limit; a serial still unknown after a good download is rejected
     * (UNKNOWN_SERIAL), a failed download throws CERTIFICATES_UNAVAILABLE (our failure: retry).
     */
    async parseNotification(request: { headers: HeadersInput; body: RawBody }): Promise<WechatPayNotification> {
      const parse = (): WechatPayNotification => parseNotification(request, { apiV3Key: config.apiV3Key, publicKeys: keyring, now: now(), maxSkewSeconds: config.maxSkewSeconds });
      try {
        return parse();
      } catch (err) {
        const serial = ((err as WxPayError).detail as { serial?: string } | undefined)?.serial;
        if (!certs || !isWxPayError(err, ERROR_CODES.UNKNOWN_SERIAL) || !serial) throw err;
        const found = await certs.lookupSerial(serial);
        if (found === 'unknown') throw err;
        if (found === 'unavailable') {
          throw new WxPayError(ERROR_CODES.CERTIFICATES_UNAVAILABLE, `Wechatpay-Serial ${serial} is unknown and the platform certificates could not be downloaded: answer so WeChat Pay retries`, { cause: err });
        }
        return parse();
      }
    },
    /** Downloads, decrypts and verifies the platform certificates (and caches them in certificate mode). */
    async downloadCertificates(): Promise<PlatformCertificate[]> {
      if (certs) return certs.refresh();
      const standalone = createCertificateManager({
        download: () => requester.send({ method: 'GET', path: '/v3/certificates', idempotent: true }),
        trustedKeys: staticKeys,
        apiV3Key: config.apiV3Key, now, maxSkewSeconds: config.maxSkewSeconds,
      });
      return standalone.refresh();
    },
    /** Closes idle keep-alive sockets (tests, graceful shutdown). */
    close(): void {
      agent.destroy();
    },
  };
}
