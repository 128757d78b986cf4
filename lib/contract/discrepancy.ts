// What a bill discrepancy's sentence is filled with, for the console's and the CLI's message
// tables alike: both sides' amounts (integer fen as yuan, by string arithmetic), statuses and
// 微信订单号. lib/bills keeps its English `detail` in the stored record for logs; the screens word
// the sentence from these fields, one table entry per discrepancy kind.
import { formatYuan } from './money';

export interface DiscrepancySide {
  amountFen?: number;
  transactionId?: string;
  status?: string;
}

export function discrepancyValues(x: { bill?: DiscrepancySide; ours?: DiscrepancySide }): Record<string, string> {
  const yuan = (fen: number | undefined): string => (fen === undefined ? '—' : `¥${formatYuan(fen)}`);
  return {
    bill: yuan(x.bill?.amountFen),
    ours: yuan(x.ours?.amountFen),
    billStatus: x.bill?.status ?? '—',
    oursStatus: x.ours?.status ?? '—',
    billTransaction: x.bill?.transactionId ?? '—',
    oursTransaction: x.ours?.transactionId ?? '—',
  };
}
