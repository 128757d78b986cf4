// The cart travels between pages in the query string: "id:qty,id:qty" (ids URI-encoded).
import { LIMITS, type CartLine } from '../../lib/contract';

/** The server's limits (lib/contract/limits.ts): a cart the server would refuse is never built. */
export const MAX_LINES = LIMITS.maxLines;
export const MAX_QUANTITY = LIMITS.maxQuantity;

export function encodeCart(lines: CartLine[]): string {
  return lines.filter((l) => l.quantity > 0).map((l) => `${encodeURIComponent(l.productId)}:${l.quantity}`).join(',');
}

/** Parses what encodeCart produced; drops anything malformed rather than trusting it. */
export function parseCart(text: string | undefined): CartLine[] {
  if (!text) return [];
  const lines: CartLine[] = [];
  // Whether the runtime already decoded the query value differs between clients: decode the whole
  // value only if its separators are still escaped.
  let raw = text;
  if (raw.indexOf(':') < 0) {
    try { raw = decodeURIComponent(raw); } catch (_) { return []; }
  }
  for (const part of raw.split(',')) {
    const m = /^([^:]+):(\d{1,2})$/.exec(part);
    if (!m) continue;
    const quantity = Number(m[2]);
    if (quantity < 1 || quantity > MAX_QUANTITY) continue;
    let productId: string;
    try { productId = decodeURIComponent(m[1]); } catch (_) { continue; }
    if (!lines.some((l) => l.productId === productId)) lines.push({ productId, quantity });
    if (lines.length === MAX_LINES) break;
  }
  return lines;
}

/** A fresh idempotency key: a repeated createOrder with it returns the same order. */
export function newClientOrderKey(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}
