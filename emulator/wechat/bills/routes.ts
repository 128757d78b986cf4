// The simulator's bill routes, mounted by app.ts (the download is served by its own writer there).
import type { Handler } from '../http';
import { simGetBillFaults, simSetBillFaults, simSetLedgerAmount } from './control';
import { applyFundFlowBill, applyTradeBill } from './serve';

export { isBillDownload, serveBillDownload, DOWNLOAD_TTL_MS } from './serve';

export const BILL_ROUTES: Array<{ method: string; path: string; handler: Handler; kind: 'v3' | 'plain' }> = [
  { method: 'GET', path: '/v3/bill/tradebill', handler: applyTradeBill, kind: 'v3' },
  { method: 'GET', path: '/v3/bill/fundflowbill', handler: applyFundFlowBill, kind: 'v3' },
  { method: 'GET', path: '/__sim/bills/faults', handler: simGetBillFaults, kind: 'plain' },
  { method: 'POST', path: '/__sim/bills/faults', handler: simSetBillFaults, kind: 'plain' },
  { method: 'POST', path: '/__sim/ledger/amount', handler: simSetLedgerAmount, kind: 'plain' },
];
