/**
 * Sending what the outbox holds: the identical body, every time. 0 or 10060023 ("unchanged": our
 * earlier copy did arrive) → done, the outbox is cleared; a transient answer (-1, 44990, no answer,
 * 10060001 "payment not found" which right after payment is WeChat's indexing delay) → kept for the
 * timer; anything else → a refusal, and the shipment is undone by the transition function.
 */
import { TRANSIENT_ERRCODES, type PlatformAnswer } from '../platform/apis';
import type { FulfilmentDeps } from './deps';
import { staffMessage } from './messages';
import type { Outbox } from './model';
import { applyFulfilment } from './transition';

export type SendOutcome = { kind: 'done' } | { kind: 'pending'; errcode: number } | { kind: 'refused'; errcode: number; message: string } | { kind: 'superseded' };

const PAYMENT_NOT_FOUND = 10060001;
const UNCHANGED = 10060023;
/** No answer at all (timeout, connection refused): same handling as -1. */
const NO_ANSWER = -1;

export async function sendOutbox(deps: FulfilmentDeps, outTradeNo: string, outbox: Outbox): Promise<SendOutcome> {
  let answer: PlatformAnswer;
  try {
    answer = await deps.platform.call(outbox.api, outbox.body);
  } catch {
    answer = { errcode: NO_ANSWER, errmsg: 'no answer' };
  }
  const guard = { 'fulfilment.outbox.id': outbox.id };
  const errcode = answer.errcode;
  if (errcode === 0 || errcode === UNCHANGED) {
    const applied = await applyFulfilment(deps.db, outTradeNo, { from: 'SHIPPED', to: 'SHIPPED', source: 'staff', record: false, guard, set: { outbox: null, checkedAt: new Date(deps.now()) } }, deps.now());
    deps.log('fulfilment.uploaded', { outTradeNo, errcode, applied });
    return applied ? { kind: 'done' } : { kind: 'superseded' };
  }
  if (TRANSIENT_ERRCODES.has(errcode) || errcode === PAYMENT_NOT_FOUND) {
    await applyFulfilment(deps.db, outTradeNo, { from: 'SHIPPED', to: 'SHIPPED', source: 'staff', record: false, guard, set: { outbox: { ...outbox, attempts: outbox.attempts + 1, lastErrcode: errcode } } }, deps.now());
    deps.log('fulfilment.upload_deferred', { outTradeNo, errcode, attempts: outbox.attempts + 1 });
    return { kind: 'pending', errcode };
  }
  const message = staffMessage(errcode, answer.errmsg);
  const at = new Date(deps.now());
  const undone = await applyFulfilment(
    deps.db,
    outTradeNo,
    { from: 'SHIPPED', to: outbox.revert.status, source: 'refused', errcode, guard, set: { outbox: null, shipments: outbox.revert.shipments, uploads: outbox.revert.shipments.length, lastRefusal: { errcode, message, at } } },
    deps.now(),
  );
  deps.log('fulfilment.upload_refused', { outTradeNo, errcode, undone });
  return undone ? { kind: 'refused', errcode, message } : { kind: 'superseded' };
}
