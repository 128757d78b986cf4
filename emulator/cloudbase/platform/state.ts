/**
 * The local "mini-program platform" (发货信息管理): each paid order's shipping record and state
 * 1 待发货 → 2 已发货 → 3 确认收货 → 4 交易完成 (5 已退款), kept in
 * `<dataDir>/cloudbase/platform-<envId>.json` so a restarted emulator remembers what was shipped.
 * Payments come from WeChat Pay (here: the simulator, through a lookup), as on the real platform.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Payment {
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  openid: string;
  total: number;
  refunded: number;
  /** unix seconds */
  pay_time: number;
  description?: string;
}

/** Finds a paid (or refunded) payment by mchid + out_trade_no or by transaction_id. */
export type PaymentLookup = (key: { mchid?: string; out_trade_no?: string; transaction_id?: string }) => Promise<Payment | null>;

export interface ShippingRecord {
  logistics_type: number;
  delivery_mode: number;
  is_all_delivered?: boolean;
  shipping_list: Record<string, unknown>[];
  upload_time: string;
}

export interface PlatformOrder {
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  openid: string;
  paid_amount: number;
  pay_time: number;
  state: 1 | 2 | 3 | 4;
  shipping?: ShippingRecord;
  uploads: number;
  reminded: boolean;
  confirm_receive_method?: 1 | 2;
  confirm_receive_time?: number;
  settlement_time?: number;
}

export class PlatformState {
  private readonly orders = new Map<string, PlatformOrder>();

  constructor(private readonly file: string | null) {
    if (file && fs.existsSync(file)) for (const o of JSON.parse(fs.readFileSync(file, 'utf8')) as PlatformOrder[]) this.orders.set(o.transaction_id, o);
  }

  static open(dataDir: string, envId: string): PlatformState {
    const dir = path.join(dataDir, 'cloudbase');
    fs.mkdirSync(dir, { recursive: true });
    return new PlatformState(path.join(dir, `platform-${envId}.json`));
  }

  get(transactionId: string): PlatformOrder | undefined {
    return this.orders.get(transactionId);
  }

  /** The record for a payment, created in state 1 (待发货) the first time it is asked about. */
  forPayment(p: Payment): PlatformOrder {
    let o = this.orders.get(p.transaction_id);
    if (!o) {
      o = { mchid: p.mchid, out_trade_no: p.out_trade_no, transaction_id: p.transaction_id, openid: p.openid, paid_amount: p.total, pay_time: p.pay_time, state: 1, uploads: 0, reminded: false };
      this.orders.set(p.transaction_id, o);
    }
    return o;
  }

  list(): PlatformOrder[] {
    return [...this.orders.values()];
  }

  save(): void {
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.list()));
    fs.renameSync(tmp, this.file);
  }
}

/** The WeChat Pay simulator's ledger (GET /__sim/transactions) as the platform's payment source. */
export function simulatorPayments(simulatorUrl: string): PaymentLookup {
  return async (key) => {
    // One transaction by key (not the whole ledger per call).
    const query = key.transaction_id ? `transaction_id=${encodeURIComponent(key.transaction_id)}` : `mchid=${encodeURIComponent(key.mchid ?? '')}&out_trade_no=${encodeURIComponent(key.out_trade_no ?? '')}`;
    const res = await fetch(`${simulatorUrl.replace(/\/+$/, '')}/__sim/transactions?${query}`);
    const { transactions } = (await res.json()) as { transactions: { mchid: string; out_trade_no: string; transaction_id: string | null; trade_state: string; amount: { total: number }; success_time: string | null; payer: { openid: string }; refunded: number }[] };
    const t = transactions.find((x) => x.transaction_id && (key.transaction_id ? x.transaction_id === key.transaction_id : x.mchid === key.mchid && x.out_trade_no === key.out_trade_no));
    if (!t || !t.transaction_id || !['SUCCESS', 'REFUND'].includes(t.trade_state)) return null;
    return { mchid: t.mchid, out_trade_no: t.out_trade_no, transaction_id: t.transaction_id, openid: t.payer.openid, total: t.amount.total, refunded: t.refunded, pay_time: Math.floor(Date.parse(t.success_time ?? '') / 1000) || 0 };
  };
}
