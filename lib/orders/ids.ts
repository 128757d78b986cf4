/** out_trade_no generation: 6–32 chars of [0-9A-Za-z_-|*], unique per merchant. */
import { createHash, randomBytes } from 'crypto';
import { chinaWallClock } from '../contract/time';

function stamp(now: number): string {
  // yyyymmddHHMMSS in UTC+8, so support staff can read the date off an order number.
  return chinaWallClock(now).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** A fresh order number: date prefix + 12 random hex chars (48 bits). */
export function newOutTradeNo(now: number): string {
  return `${stamp(now)}${randomBytes(6).toString('hex')}`;
}

/**
 * The order number for a client's idempotency key: the same user and key always give the same
 * number, so a double tap inserts the same _id and the second insert fails as a duplicate.
 */
export function outTradeNoForClientKey(openid: string, clientOrderKey: string): string {
  return `K${createHash('sha256').update(`${openid}\n${clientOrderKey}`).digest('hex').slice(0, 31)}`;
}
