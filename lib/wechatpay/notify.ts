/**
 * Notification parsing: a pure function of (headers, raw body, keys, apiV3Key, now) → typed event.
 * Order: body type → headers present → clock skew → known serial → signature → JSON → algorithm →
 * decrypt → JSON. Plus the inverse (buildNotification) so the simulator and tests generate fixtures.
 */
import { AEAD_ALGORITHM, apiV3KeyBytes, decryptResource, EncryptedResource, encryptResource } from './aesgcm';
import { ERROR_CODES, WxPayError } from './errors';
import { HeadersInput } from './headers';
import { PublicKeys } from './keyring/keyring';
import { PrivateKeyInput } from './keys';
import { RawBody } from './message';
import { generateNonce } from './nonce';
import { buildWechatpaySignatureHeaders, WechatpaySignatureHeaders } from './sign';
import { formatWechatTime, Now } from './time';
import { RefundNotificationResource, Transaction } from './types';
import { verifyWechatpaySignature } from './verify';

export interface WechatPayNotification<R = Record<string, unknown>> {
  id: string;
  create_time: string;
  event_type: string;
  resource_type: string;
  summary: string;
  /** Decrypted and parsed. */
  resource: R;
}
export type TransactionNotification = WechatPayNotification<Transaction> & { event_type: 'TRANSACTION.SUCCESS' };
export type RefundNotification = WechatPayNotification<RefundNotificationResource> & {
  event_type: 'REFUND.SUCCESS' | 'REFUND.ABNORMAL' | 'REFUND.CLOSED';
};

/** What kind of event a parsed notification is: the one place the event types are spelled (payNotify dispatches on these). */
export function isTransactionNotification<N extends Pick<WechatPayNotification<unknown>, 'event_type'>>(n: N): n is N & TransactionNotification {
  return n.event_type === 'TRANSACTION.SUCCESS';
}
export function isRefundNotification<N extends Pick<WechatPayNotification<unknown>, 'event_type'>>(n: N): n is N & RefundNotification {
  return n.event_type.startsWith('REFUND.');
}

export interface ParseNotificationOptions {
  apiV3Key: string | Buffer;
  /** serial → public key / certificate PEM / KeyObject, or a keyring. */
  publicKeys: PublicKeys;
  now?: Now;
  maxSkewSeconds?: number;
}

export function parseNotification(
  request: { headers: HeadersInput; body: RawBody },
  opts: ParseNotificationOptions,
): WechatPayNotification {
  // A misconfigured key is our fault, not the sender's: report it before judging the message.
  const apiV3Key = apiV3KeyBytes(opts.apiV3Key);
  verifyWechatpaySignature(request, opts);
  const envelope = parseJson(request.body, 'notification body');
  const resource = envelope.resource as EncryptedResource | undefined;
  if (typeof envelope.id !== 'string' || typeof envelope.event_type !== 'string' || !resource || typeof resource !== 'object') {
    throw new WxPayError(ERROR_CODES.MALFORMED_MESSAGE, 'notification body lacks id, event_type or resource');
  }
  if (resource.algorithm !== AEAD_ALGORITHM) {
    throw new WxPayError(ERROR_CODES.UNSUPPORTED_ALGORITHM, `unsupported resource algorithm ${String(resource.algorithm)}`);
  }
  const plaintext = decryptResource(resource, apiV3Key);
  return {
    id: envelope.id,
    create_time: String(envelope.create_time ?? ''),
    event_type: envelope.event_type,
    resource_type: String(envelope.resource_type ?? ''),
    summary: String(envelope.summary ?? ''),
    resource: parseJson(plaintext, 'decrypted resource'),
  };
}

function parseJson(raw: RawBody, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    throw new WxPayError(ERROR_CODES.MALFORMED_MESSAGE, `${what} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WxPayError(ERROR_CODES.MALFORMED_MESSAGE, `${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

export interface NotificationBodyOptions {
  eventType: string;
  /** The plaintext resource object (a Transaction, a refund resource…). */
  resource: object;
  apiV3Key: string | Buffer;
  id?: string;
  summary?: string;
  /** Default: 'refund' for REFUND.*, else 'transaction' (resource.original_type). */
  originalType?: string;
  /** Default: the original type (WeChat's associated_data). */
  associatedData?: string;
  now?: Now;
}

export interface BuildNotificationOptions extends NotificationBodyOptions {
  /** Platform / WeChat Pay private key and the serial the receiver knows it by. */
  privateKey: PrivateKeyInput;
  serial: string;
}

/**
 * The body of a notification: the envelope with its AES-256-GCM resource, built once. The
 * signature headers are made per delivery attempt (buildWechatpaySignatureHeaders over this
 * body), as WeChat Pay signs each attempt with its own timestamp and nonce.
 */
export function buildNotificationBody(opts: NotificationBodyOptions): string {
  const originalType = opts.originalType ?? (opts.eventType.startsWith('REFUND.') ? 'refund' : 'transaction');
  const encrypted = encryptResource(JSON.stringify(opts.resource), opts.apiV3Key, {
    associated_data: opts.associatedData ?? originalType,
  });
  return JSON.stringify({
    id: opts.id ?? generateNonce(36),
    create_time: formatWechatTime(opts.now),
    resource_type: 'encrypt-resource',
    event_type: opts.eventType,
    summary: opts.summary ?? (originalType === 'refund' ? '退款状态变更' : '支付成功'),
    resource: { original_type: originalType, ...encrypted },
  });
}

/** Inverse of parseNotification: an encrypted, signed notification `{ headers, body }`. */
export function buildNotification(opts: BuildNotificationOptions): { headers: WechatpaySignatureHeaders; body: string } {
  const body = buildNotificationBody(opts);
  const headers = buildWechatpaySignatureHeaders({ body, privateKey: opts.privateKey, serial: opts.serial, now: opts.now });
  return { headers, body };
}
