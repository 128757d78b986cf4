// The flash bar: the answer to the last action, good or bad, until the next one.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { call, describe, type Reply } from './api';
import { fen } from './ui';

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
      show(failed ? { kind: 'error', text: `${label} failed — ${describe(r)}` } : { kind: 'ok', text: `${label}: ${summary(r)}` });
      return r;
    } catch (e) {
      show({ kind: 'error', text: `${label} failed — ${(e as Error).message}` });
      return undefined;
    }
  };
}

function summary(r: Reply): string {
  const b = r.body;
  if (b?.errMsg) return `${b.errMsg}${b.trade_state ? ` (${b.trade_state})` : ''}`;
  if (b?.result?.outTradeNo) return `order ${b.result.outTradeNo}`;
  // POST /api/refund answers refundOrder's result itself.
  if (b?.refund?.outRefundNo) return `refund ${b.refund.outRefundNo} of ${fen(b.refund.amount)} ${b.refund.status}${b.replayed ? ' (a repeat of an earlier request: nothing new refunded)' : ''}`;
  if (b?.result !== undefined) return JSON.stringify(b.result).slice(0, 160);
  return 'done';
}
