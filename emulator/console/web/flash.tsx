// The flash bar: the answer to the last action, good or bad, until the next one.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { call, describe, type Reply } from './api';
import { fen } from './ui';
import { t } from './i18n';

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

export const FlashContext = createContext<(f: Flash) => void>(() => undefined);

/** Run an action against the console API and report it; resolves to the reply (or undefined). */
export function useAction(): (label: string, method: 'POST' | 'GET', path: string, body?: unknown) => Promise<Reply | undefined> {
  const show = useContext(FlashContext);
  return async (label, method, path, body) => {
    try {
      const r = await call(method, path, body);
      const failed = r.status >= 400 || r.body?.error || (r.body?.errCode !== undefined && r.body.errCode !== 0) || r.body?.result?.error;
      show(failed ? { kind: 'error', text: t('flash.failed', { label, detail: describe(r) }) } : { kind: 'ok', text: t('flash.ok', { label, summary: summary(r) }) });
      return r;
    } catch (e) {
      show({ kind: 'error', text: t('flash.failed', { label, detail: (e as Error).message }) });
      return undefined;
    }
  };
}

function summary(r: Reply): string {
  const b = r.body;
  if (b?.errMsg) return `${b.errMsg}${b.trade_state ? ` (${b.trade_state})` : ''}`;
  if (b?.result?.outTradeNo) return t('flash.order', { no: b.result.outTradeNo });
  // POST /api/refund answers refundOrder's result itself.
  if (b?.refund?.outRefundNo) return t('flash.refund', { no: b.refund.outRefundNo, amount: fen(b.refund.amount), status: b.refund.status }) + (b.replayed ? t('flash.refundReplayed') : '');
  // POST /api/bills/run answers reconcileBill's result: the day.
  if (b?.day?.billDate) return t('flash.bill', { date: b.day.billDate, status: b.day.status, matched: b.day.matched, healed: b.day.healedCount, discrepancies: b.day.discrepancyCount });
  if (b?.result !== undefined) return JSON.stringify(b.result).slice(0, 160);
  return t('flash.done');
}
