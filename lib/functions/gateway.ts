/**
 * Adapts lib/wechatpay to what the order logic needs: the client (as the PayGateway) and notification verification that refreshes platform certificates once when
 * an unknown serial arrives (certificate and migration mode; public-key mode has nothing to download).
 */
import { usesPlatformCertificates, type WxPayConfig as AppConfig } from '../config';
import type { PayGateway } from '../orders/deps';
import { VerifierUnavailableError, type VerifiedNotification } from '../orders/notify';
import { createWechatPayClient, ERROR_CODES, parseNotification, type WechatPayClient } from '../wechatpay';

/** At most one successful certificate download per minute triggered by notifications with unknown serials. */
const UNKNOWN_SERIAL_REFRESH_MS = 60_000;
/** After a failed download, the next notification with an unknown serial may try again this much later. */
const FAILED_REFRESH_RETRY_MS = 5_000;

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

export function createNotificationVerifier(
  config: AppConfig,
  client: WechatPayClient,
  now: () => number,
): (input: { headers: Record<string, string>; body: Buffer }) => Promise<VerifiedNotification> {
  let lastRefresh = 0;
  let lastFailure = -Infinity;
  const parse = (input: { headers: Record<string, string>; body: Buffer }): VerifiedNotification =>
    parseNotification({ headers: input.headers, body: input.body }, { apiV3Key: config.apiV3Key, publicKeys: client.keyring, now: now() }) as VerifiedNotification;
  return async (input) => {
    try {
      return parse(input);
    } catch (err) {
      const unknownSerial = (err as { code?: string }).code === ERROR_CODES.UNKNOWN_SERIAL;
      if (!unknownSerial || !usesPlatformCertificates(config.mode)) throw err;
      // The last download failed: until the next attempt may run we cannot tell a new certificate
      // from a forged serial, so this is our failure (500, WeChat Pay retries), not a rejection.
      if (now() - lastFailure < FAILED_REFRESH_RETRY_MS) throw new VerifierUnavailableError('platform certificates could not be downloaded a moment ago');
      // A serial still unknown right after a good download is not WeChat Pay's: rejected (401).
      if (now() - lastRefresh < UNKNOWN_SERIAL_REFRESH_MS) throw err;
      try {
        await client.downloadCertificates();
      } catch (downloadError) {
        // A failed download does not use up the minute: the next attempt after a short pause tries again.
        lastFailure = now();
        throw new VerifierUnavailableError(`platform certificates could not be downloaded (${(downloadError as { code?: string }).code ?? 'UNKNOWN'})`);
      }
      lastRefresh = now();
      return parse(input);
    }
  };
}
