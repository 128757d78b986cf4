// Identifier formats modelled on real ones (lengths and prefixes as seen in official examples).
import { formatWechatTime } from '../../lib/wechatpay/time';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const digits = (n: number): string => Array.from({ length: n }, () => randomInt(10)).join('');

/** wx + yyyyMMddHHmmss (Beijing) + 20 hex: e.g. wx201410272009395522657a690389285100 */
export const prepayId = (nowMs: number): string =>
  `wx${formatWechatTime(nowMs).slice(0, 19).replace(/\D/g, '')}${randomBytes(10).toString('hex')}`;
/** 28 digits starting 4200, like real transaction ids. */
export const transactionId = (nowMs: number): string => `4200${digits(6)}${formatWechatTime(nowMs).slice(0, 10).replace(/\D/g, '')}${digits(10)}`;
/** 29 digits starting 50, like real refund ids. */
export const refundId = (): string => `50${digits(27)}`;
export const notificationId = (): string => randomUUID();
