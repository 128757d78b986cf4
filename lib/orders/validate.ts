/**
 * Input validation for the client-facing functions. Pure: input in, typed value or AppError out.
 * Anything the client sends beyond these fields (prices, amounts, openids) is ignored by design.
 */
import { LIMITS } from '../contract/limits';
import { invalidInput } from '../errors';

export { LIMITS };

export interface LineRequest {
  productId: string;
  quantity: number;
}

export type CreateOrderRequest =
  | { kind: 'new'; items: LineRequest[]; clientOrderKey?: string }
  | { kind: 'payAgain'; outTradeNo: string };

const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
const SAFE_ID = /^[0-9A-Za-z_\-]{1,64}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseOutTradeNo(value: unknown): string {
  if (typeof value !== 'string' || !OUT_TRADE_NO.test(value)) {
    throw invalidInput('outTradeNo must be the 6–32 character order number returned by createOrder.');
  }
  return value;
}

function parseLine(line: unknown, index: number): LineRequest {
  if (!isPlainObject(line)) throw invalidInput(`items[${index}] must be an object {productId, quantity}.`);
  const { productId, quantity } = line;
  if (typeof productId !== 'string' || !SAFE_ID.test(productId)) {
    throw invalidInput(`items[${index}].productId must be a product id (letters, digits, _ or -).`);
  }
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > LIMITS.maxQuantity) {
    throw invalidInput(`items[${index}].quantity must be a whole number from 1 to ${LIMITS.maxQuantity}.`);
  }
  return { productId, quantity };
}

export function parseCreateOrderRequest(input: unknown): CreateOrderRequest {
  if (!isPlainObject(input)) throw invalidInput('Send {items: [{productId, quantity}]} or {outTradeNo}.');
  if (input.outTradeNo !== undefined) {
    if (input.items !== undefined) throw invalidInput('Send either items (a new order) or outTradeNo (pay again), not both.');
    return { kind: 'payAgain', outTradeNo: parseOutTradeNo(input.outTradeNo) };
  }
  const { items, clientOrderKey } = input;
  if (!Array.isArray(items) || items.length < 1 || items.length > LIMITS.maxLines) {
    throw invalidInput(`items must be a list of 1 to ${LIMITS.maxLines} lines.`);
  }
  const lines = items.map(parseLine);
  const seen = new Set<string>();
  for (const line of lines) {
    if (seen.has(line.productId)) throw invalidInput(`Product ${line.productId} appears twice; combine the quantities in one line.`);
    seen.add(line.productId);
  }
  if (clientOrderKey === undefined) return { kind: 'new', items: lines };
  if (typeof clientOrderKey !== 'string' || !SAFE_ID.test(clientOrderKey)) {
    throw invalidInput('clientOrderKey must be 1–64 letters, digits, _ or - (generate one per checkout).');
  }
  return { kind: 'new', items: lines, clientOrderKey };
}

export function parseQueryOrderRequest(input: unknown): { outTradeNo: string } {
  if (!isPlainObject(input)) throw invalidInput('Send {outTradeNo}.');
  return { outTradeNo: parseOutTradeNo(input.outTradeNo) };
}
