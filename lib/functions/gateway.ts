/**
 * Adapts lib/wechatpay to what the order logic needs: the client (as the PayGateway) and notification verification that refreshes platform certificates once when
 * an unknown serial arrives (certificate mode; public-key mode has nothing to download).
 */
import type { WxPayConfig as AppConfig } from '../config';
import type { PayGateway } from '../orders/deps';
import type { VerifiedNotification } from '../orders/notify';
import { createWechatPayClient, ERROR_CODES, parseNotification, type WechatPayClient } from '../wechatpay';

/** At most one certificate download per minute triggered by notifications with unknown serials. */
const UNKNOWN_SERIAL_REFRESH_MS = 60_000;

export function createPayGateway(config: AppConfig): { gateway: PayGateway; client: WechatPayClient } {
  const client = createWechatPayClient({
    mchid: config.mchid,
    serialNo: config.serialNo,
    privateKey: config.privateKey,
    apiV3Key: config.apiV3Key,
    appid: config.appid,
    notifyUrl: config.notifyUrl,
    publicKeyId: config.publicKeyId,
    publicKey: config.publicKey,
    baseUrl: config.baseUrl,
  });
  // The client already is a PayGateway (prepay, query, close, paySign with the parsed merchant key).
  const gateway: PayGateway = client;
  return { gateway, client };
}

export function createNotificationVerifier(
  config: AppConfig,
  client: WechatPayClient,
  now: () => number,
): (input: { headers: Record<string, string>; body: Buffer }) => Promise<VerifiedNotification> {
  let lastRefresh = 0;
  const parse = (input: { headers: Record<string, string>; body: Buffer }): VerifiedNotification =>
    parseNotification({ headers: input.headers, body: input.body }, { apiV3Key: config.apiV3Key, publicKeys: client.keyring, now: now() }) as VerifiedNotification;
  return async (input) => {
    try {
      return parse(input);
    } catch (err) {
      const unknownSerial = (err as { code?: string }).code === ERROR_CODES.UNKNOWN_SERIAL;
      const certificateMode = config.mode === 'certificate';
      if (!unknownSerial || !certificateMode || now() - lastRefresh < UNKNOWN_SERIAL_REFRESH_MS) throw err;
      lastRefresh = now();
      await client.downloadCertificates();
      return parse(input);
    }
  };
}
