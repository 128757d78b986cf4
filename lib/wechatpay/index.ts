/** Public surface of the WeChat Pay APIv3 library. Other code imports from here only. */
export { ERROR_CODES, PERMANENT_REFUSAL_CODES, WxPayError, isWxPayError, isPermanentRefusal } from './errors';
export { WECHATPAY_BYTE_LIMITS, ELLIPSIS, truncateUtf8, utf8Bytes } from './limits';
export type { WxPayErrorCode, WxPayErrorOptions } from './errors';
export { nowMs, nowSeconds, formatWechatTime } from './time';
export type { Now } from './time';
export { toPrivateKey, toPublicKey } from './keys';
export type { PrivateKeyInput, PublicKeyInput } from './keys';
export { getHeader } from './headers';
export type { HeadersInput } from './headers';
export { buildRequestMessage, buildResponseMessage, buildPaySignMessage, canonicalPath } from './message';
export type { RawBody } from './message';
export { generateNonce } from './nonce';
export { AUTH_SCHEMA, signSha256Rsa, buildAuthorization, buildWechatpaySignatureHeaders } from './sign';
export type { BuildAuthorizationOptions, SignatureHeaderOptions, WechatpaySignatureHeaders } from './sign';
export {
  DEFAULT_MAX_SKEW_SECONDS,
  SIGNTEST_PREFIX,
  WECHATPAY_SIGNATURE_BYTES,
  decodeSignature,
  verifySha256Rsa,
  verifyWechatpaySignature,
  parseAuthorization,
  verifyRequestSignature,
} from './verify';
export type { VerifyOptions, VerifiedSignature, AuthorizationFields, VerifyRequestOptions } from './verify';
export { AEAD_ALGORITHM, apiV3KeyBytes, decryptResource, encryptResource } from './aesgcm';
export type { EncryptedResource, EncryptOptions } from './aesgcm';
export { buildPaymentParams } from './paysign';
export type { PaymentParams, BuildPaymentParamsOptions } from './paysign';
export { rsaOaepEncrypt, rsaOaepDecrypt } from './oaep';
export { parseNotification, buildNotification, buildNotificationBody, isTransactionNotification, isRefundNotification } from './notify';
export type {
  WechatPayNotification,
  TransactionNotification,
  RefundNotification,
  ParseNotificationOptions,
  BuildNotificationOptions,
} from './notify';
export { createKeyring, isKeyring, lookupKey } from './keyring/keyring';
export type { Keyring, MutableKeyring, PublicKeys } from './keyring/keyring';
export type { Amount, Transaction, Refund, RefundAmount, RefundNotificationResource } from './types';
export { createWechatPayClient, DEFAULT_BASE_URL } from './client';
export type { WechatPayClient, WechatPayClientConfig, JsapiPrepayInput, CreateRefundInput, KeyMode } from './client';
export { createCertificateManager, decryptCertificates } from './keyring/certificates';
export type { PlatformCertificate, CertificateManager, CertificateManagerOptions } from './keyring/certificates';
export * from './bills';
