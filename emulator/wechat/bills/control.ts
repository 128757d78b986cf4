// /__sim control for bills: the bill faults, and a ledger edit for tests ("WeChat Pay's record of
// this order's amount disagrees with the merchant's"): query answers and bills show the new total.
import { SimError } from '../errors';
import { parseJson, type Ctx, type Reply } from '../http';
import { orderKey, type SimState } from '../state';
import { billFaults, setBillFaults } from './faults';
import { noteLedgerEdit } from './serve';

export function simGetBillFaults(state: SimState): Reply {
  return { status: 200, body: { faults: billFaults(state) } };
}

export function simSetBillFaults(state: SimState, ctx: Ctx): Reply {
  return { status: 200, body: { faults: setBillFaults(state, ctx.rawBody.length ? parseJson(ctx) : {}) } };
}

/** {out_trade_no, total, mchid?} → the ledger entry with its amount changed. */
export function simSetLedgerAmount(state: SimState, ctx: Ctx): Reply {
  const b = parseJson(ctx);
  const mchid = typeof b.mchid === 'string' ? b.mchid : state.credentials.mchid;
  const o = typeof b.out_trade_no === 'string' ? state.orders.get(orderKey(mchid, b.out_trade_no)) : undefined;
  if (!o) throw new SimError(404, 'ORDER_NOT_EXIST', 'no such out_trade_no in the ledger');
  if (!Number.isSafeInteger(b.total) || (b.total as number) < 1) throw new SimError(400, 'PARAM_ERROR', 'total must be an integer >= 1 (fen)');
  o.amount = { ...o.amount, total: b.total as number };
  state.changed('orders', orderKey(o.mchid, o.out_trade_no));
  noteLedgerEdit();
  return { status: 200, body: { out_trade_no: o.out_trade_no, amount: o.amount } };
}
