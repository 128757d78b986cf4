/**
 * The mp message-push protocol for pushes to our own URL (off WeChat Cloud; shared notes
 * shipping.md): signature = sha1 of the sorted [token, timestamp, nonce] joined, compared in
 * constant time; the timestamp must be fresh. Plaintext mode only (safe/AES mode is not built:
 * configure 明文 or 兼容 mode and JSON format).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const PUSH_MAX_SKEW_SECONDS = 300;

export function pushSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

export type PushCheck = { ok: true } | { ok: false; reason: string };

export function checkPushSignature(token: string, q: Record<string, string | undefined>, nowMs: number): PushCheck {
  const { signature, timestamp, nonce } = q;
  if (!signature || !timestamp || !nonce) return { ok: false, reason: 'signature, timestamp and nonce are required' };
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > PUSH_MAX_SKEW_SECONDS) return { ok: false, reason: 'timestamp is not fresh' };
  const want = Buffer.from(pushSignature(token, timestamp, nonce));
  const got = Buffer.from(signature.toLowerCase());
  return want.length === got.length && timingSafeEqual(want, got) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}
