// Bill download faults, set with POST /__sim/bills/faults (their own switch, so the general fault
// set and its counters stay as they are): a corrupted file (parses, hash differs), a truncated
// file (gzip cut in half), a slow download (a pause before every 16 KiB). Reset clears them.
import { SimError } from '../errors';
import type { SimState } from '../state';

export interface BillFaults {
  corruptBill?: boolean;
  truncateBill?: boolean;
  /** Real ms before each 16 KiB chunk. */
  slowBillMs?: number;
}

const faults = new WeakMap<object, BillFaults>();

export const billFaults = (state: SimState): BillFaults => faults.get(state.orders) ?? {};

export function setBillFaults(state: SimState, input: unknown): BillFaults {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new SimError(400, 'PARAM_ERROR', 'bill faults must be a JSON object ({} clears)');
  const out: BillFaults = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'corruptBill' || key === 'truncateBill') {
      if (typeof value !== 'boolean') throw new SimError(400, 'PARAM_ERROR', `${key} must be a boolean`);
      out[key] = value;
    } else if (key === 'slowBillMs') {
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 10_000) throw new SimError(400, 'PARAM_ERROR', 'slowBillMs must be an integer 0..10000');
      out.slowBillMs = value as number;
    } else throw new SimError(400, 'PARAM_ERROR', `unknown bill fault "${key}"; known: corruptBill, truncateBill, slowBillMs`);
  }
  faults.set(state.orders, out);
  return out;
}
