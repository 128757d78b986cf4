/**
 * Step 1 (apply) and step 2 (download) as client methods. The apply is an ordinary signed and
 * verified v3 GET (retried on SYSTEM_ERROR); its answer is checked before any download is tried.
 */
import { ERROR_CODES, WxPayError } from '../errors';
import { checkApply, downloadBill, type BillApply, type DownloadDeps } from './download';

export type TradeBillType = 'ALL' | 'SUCCESS' | 'REFUND';
export type FundFlowAccountType = 'BASIC' | 'OPERATION' | 'FEES';

export interface TradeBillInput {
  /** China date, YYYY-MM-DD (within the last 3 months; ready after 10:00 the next day). */
  billDate: string;
  billType?: TradeBillType;
  tarType?: 'GZIP';
}

export interface FundFlowBillInput {
  billDate: string;
  accountType?: FundFlowAccountType;
  tarType?: 'GZIP';
}

type Call = (c: { method: 'GET'; path: string; idempotent: true }) => Promise<unknown>;

const BILL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function requireBillDate(value: unknown): string {
  if (typeof value !== 'string' || !BILL_DATE.test(value)) throw new WxPayError(ERROR_CODES.INVALID_ARGUMENT, `billDate must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new WxPayError(ERROR_CODES.INVALID_ARGUMENT, `${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function query(params: Record<string, string | undefined>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join('&');
}

export function createBillApi(call: Call, download: DownloadDeps) {
  return {
    /** GET /v3/bill/tradebill → {hash_type, hash_value, download_url}; 400 NO_STATEMENT_EXIST / STATEMENT_CREATING are WeChat's codes. */
    async tradeBill(input: TradeBillInput): Promise<BillApply> {
      const q = query({
        bill_date: requireBillDate(input.billDate),
        bill_type: oneOf(input.billType, ['ALL', 'SUCCESS', 'REFUND'] as const, 'billType'),
        tar_type: oneOf(input.tarType, ['GZIP'] as const, 'tarType'),
      });
      return checkApply(await call({ method: 'GET', path: `/v3/bill/tradebill?${q}`, idempotent: true }), download.baseUrl);
    },
    /** GET /v3/bill/fundflowbill → the same apply answer. */
    async fundFlowBill(input: FundFlowBillInput): Promise<BillApply> {
      const q = query({
        bill_date: requireBillDate(input.billDate),
        account_type: oneOf(input.accountType, ['BASIC', 'OPERATION', 'FEES'] as const, 'accountType'),
        tar_type: oneOf(input.tarType, ['GZIP'] as const, 'tarType'),
      });
      return checkApply(await call({ method: 'GET', path: `/v3/bill/fundflowbill?${q}`, idempotent: true }), download.baseUrl);
    },
    /** The decompressed bytes; the SHA-1 check is the iteration's last step (see download.ts). */
    downloadBill(apply: BillApply): AsyncGenerator<Buffer> {
      return downloadBill(download, apply);
    },
  };
}
