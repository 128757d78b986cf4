/**
 * The functions' WeChat Pay client, built from the app configuration: it is the PayGateway the
 * order logic calls (prepay, query, close, paySign), and its parseNotification checks payNotify's
 * notifications (certificates refreshed through the keyring's one rate limit: lib/wechatpay).
 */
import { usesPlatformCertificates, type WxPayConfig as AppConfig } from '../config';
import type { PayGateway } from '../orders/deps';
import { createWechatPayClient, type WechatPayClient } from '../wechatpay';

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
    // Migration: certificates downloaded and refreshed as in certificate mode, next to the public key.
    platformCertificates: usesPlatformCertificates(config.mode),
    baseUrl: config.baseUrl,
  });
  // The client already is a PayGateway (prepay, query, close, paySign with the parsed merchant key).
  const gateway: PayGateway = client;
  return { gateway, client };
}
