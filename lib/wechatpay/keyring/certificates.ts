/**
 * Platform certificates (certificate mode): downloaded from /v3/certificates, decrypted with the APIv3
 * key, verified, cached; refreshed lazily when stale and when an unknown serial arrives (rate-limited).
 * No timers: refreshes happen on use, so nothing keeps the process (or a cloud function) alive.
 */
import { KeyObject, X509Certificate } from 'crypto';
import { decryptResource, EncryptedResource } from '../aesgcm';
import { ERROR_CODES, WxPayError } from '../errors';
import { RawResponse } from '../http';
import { toPublicKey } from '../keys';
import { Now, nowMs } from '../time';
import { verifyWechatpaySignature } from '../verify';
import { Keyring } from './keyring';

export interface PlatformCertificate {
  serial_no: string;
  effective_time: string;
  expire_time: string;
  /** Decrypted PEM certificate. */
  certificate: string;
}

/** Decrypt the body of GET /v3/certificates; the serial inside each certificate must match serial_no. */
export function decryptCertificates(body: Buffer | string, apiV3Key: string | Buffer): PlatformCertificate[] {
  let parsed: { data?: Array<{ serial_no: string; effective_time: string; expire_time: string; encrypt_certificate: EncryptedResource }> } | null;
  try {
    parsed = JSON.parse(body.toString());
  } catch {
    throw new WxPayError(ERROR_CODES.MALFORMED_MESSAGE, '/v3/certificates returned invalid JSON');
  }
  // `null` and other non-objects are valid JSON too: they must fail as clearly as a missing data[].
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.data)) {
    throw new WxPayError(ERROR_CODES.MALFORMED_MESSAGE, '/v3/certificates response has no data[]');
  }
  return parsed.data.map((item) => {
    if (typeof item !== 'object' || item === null || typeof item.serial_no !== 'string' || typeof item.encrypt_certificate !== 'object' || item.encrypt_certificate === null) {
      throw new WxPayError(ERROR_CODES.MALFORMED_MESSAGE, '/v3/certificates: each data[] entry needs serial_no and encrypt_certificate');
    }
    const certificate = decryptResource(item.encrypt_certificate, apiV3Key);
    let serial: string;
    try {
      serial = new X509Certificate(certificate).serialNumber;
    } catch (cause) {
      throw new WxPayError(ERROR_CODES.KEY_INVALID, `certificate ${item.serial_no} is not a valid X.509 PEM`, { cause });
    }
    if (serial.toUpperCase() !== String(item.serial_no).toUpperCase()) {
      throw new WxPayError(ERROR_CODES.MALFORMED_MESSAGE, `certificate serial ${serial} does not match serial_no ${item.serial_no}`);
    }
    return { serial_no: item.serial_no, effective_time: item.effective_time, expire_time: item.expire_time, certificate };
  });
}

export interface CertificateManagerOptions {
  /** Performs the signed GET /v3/certificates and returns the raw response (not verified). */
  download: () => Promise<RawResponse>;
  apiV3Key: string | Buffer;
  /** Keys trusted besides the certificates (migration: the download is signed by the public key). */
  trustedKeys?: Keyring;
  now?: () => Now;
  maxSkewSeconds?: number;
  /** Refresh when the last successful download is older than this. Default 12 h. */
  refreshIntervalMs?: number;
  /** After a successful download, the next one (unknown-serial storms, stale refresh) waits this long. Default 60 s. */
  minRefreshIntervalMs?: number;
  /**
   * After a FAILED download, the next may run this much sooner. Default 5 s: a failed download must
   * not use up the minute, or a genuine notification under a new certificate is refused for a minute.
   */
  failedRefreshRetryMs?: number;
}

/**
 * What a refresh for an unknown serial found: `known` (now trusted), `unknown` (a download succeeded
 * and the serial is not WeChat Pay's: reject), `unavailable` (the download failed just now or a
 * moment ago, so we cannot tell a new certificate from a forged serial: our failure, retry later).
 */
export type SerialLookup = 'known' | 'unknown' | 'unavailable';

export interface CertificateManager {
  keyring: Keyring;
  /** Download now (single-flight); throws on failure, keeping the previous certificates. */
  refresh(): Promise<PlatformCertificate[]>;
  /** Download if never loaded or stale; a failed download keeps the previous certificates (the next call tries again). */
  refreshIfStale(): Promise<void>;
  /** Download unless the rate limit says wait (see lookupSerial); returns whether serial is now known. */
  refreshForSerial(serial: string): Promise<boolean>;
  /**
   * The serial, downloading first when it is unknown and the ONE rate limit allows: a download
   * waits minRefreshIntervalMs after a successful one, failedRefreshRetryMs after a failed one.
   */
  lookupSerial(serial: string): Promise<SerialLookup>;
}

export function createCertificateManager(opts: CertificateManagerOptions): CertificateManager {
  const clock = (): number => nowMs(opts.now?.());
  const interval = opts.refreshIntervalMs ?? 12 * 3600_000;
  const minInterval = opts.minRefreshIntervalMs ?? 60_000;
  const failedRetry = Math.min(opts.failedRefreshRetryMs ?? 5_000, minInterval);
  let keys = new Map<string, KeyObject>();
  let loadedAt = -Infinity;
  let attemptedAt = -Infinity;
  let lastAttemptFailed = false;
  let inflight: Promise<PlatformCertificate[]> | undefined;
  /** The one rate limit: every download started by use (stale keys, unknown serials) asks it. */
  const mayDownload = (): boolean => clock() - attemptedAt >= (lastAttemptFailed ? failedRetry : minInterval);

  const keyring: Keyring = { get: (serial) => keys.get(serial), serials: () => [...keys.keys()] };

  async function download(): Promise<PlatformCertificate[]> {
    attemptedAt = clock();
    const res = await opts.download();
    if (res.status < 200 || res.status >= 300) {
      let code: string = ERROR_CODES.HTTP_ERROR;
      try {
        code = JSON.parse(res.body.toString()).code ?? code;
      } catch {
        // keep HTTP_ERROR
      }
      // RESOURCE_NOT_EXISTS here means a public-key-only merchant: configure WXPAY_PUBLIC_KEY_ID instead.
      throw new WxPayError(code, `/v3/certificates failed with HTTP ${res.status} (${code}); public-key-only merchants must set WXPAY_PUBLIC_KEY_ID/WXPAY_PUBLIC_KEY`, {
        httpStatus: res.status,
      });
    }
    const certs = decryptCertificates(res.body, opts.apiV3Key);
    const now = clock();
    const fresh = new Map<string, KeyObject>();
    for (const c of certs) {
      if (Date.parse(c.expire_time) > now || Number.isNaN(Date.parse(c.expire_time))) fresh.set(c.serial_no, toPublicKey(c.certificate));
    }
    // The response is signed by one of the certificates it carries (or a key we already trust).
    const candidates: Keyring = {
      get: (s) => fresh.get(s) ?? keys.get(s) ?? opts.trustedKeys?.get(s),
      serials: () => [...fresh.keys(), ...(opts.trustedKeys?.serials() ?? [])],
    };
    verifyWechatpaySignature({ headers: res.headers, body: res.body }, { publicKeys: candidates, now, maxSkewSeconds: opts.maxSkewSeconds });
    keys = fresh;
    loadedAt = now;
    return certs;
  }

  function refresh(): Promise<PlatformCertificate[]> {
    inflight ??= download()
      .then(
        (certs) => {
          lastAttemptFailed = false;
          return certs;
        },
        (err: unknown) => {
          lastAttemptFailed = true;
          throw err;
        },
      )
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  return {
    keyring,
    refresh,
    async refreshIfStale() {
      if (clock() - loadedAt < interval) return;
      if (keys.size > 0 && !mayDownload()) return; // stale but recently tried: keep serving
      await refresh().catch(() => undefined);
    },
    lookupSerial,
    async refreshForSerial(serial) {
      return (await lookupSerial(serial)) === 'known';
    },
  };

  async function lookupSerial(serial: string): Promise<SerialLookup> {
    if (keys.has(serial)) return 'known';
    if (inflight) await inflight.catch(() => undefined);
    else if (mayDownload()) await refresh().catch(() => undefined);
    if (keys.has(serial)) return 'known';
    return lastAttemptFailed ? 'unavailable' : 'unknown';
  }
}
