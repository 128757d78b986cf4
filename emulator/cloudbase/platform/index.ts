/**
 * The mini-program platform of the CloudBase emulator: registers the shipping APIs in the cloud-call
 * table (and serves the same APIs on the access-token HTTP paths), plays the customer and the
 * platform's clock (confirm receipt, fast-forward auto-confirmation) and sends the settlement push
 * to the configured function. Faults: errcode -1 / 44990 at a rate, pushes dropped or duplicated.
 */
import { randomBytes } from 'node:crypto';
import { createPrng, type Prng } from '../../shared/prng';
import type { FunctionHost } from '../functions/host';
import { WxApiError, type CloudCallTables } from '../openapi/table';
import { getOrder, notifyConfirmReceive, uploadShippingInfo, type ShippingContext } from './shipping';
import type { PaymentLookup, PlatformOrder, PlatformState } from './state';

export interface PlatformFaults {
  /** Share of shipping API calls answered errcode -1 (system error) without doing anything. */
  systemErrorRate?: number;
  /** Share answered 44990 (rate limit). */
  rateLimitRate?: number;
  dropPushRate?: number;
  duplicatePushRate?: number;
  seed?: number;
}

export type OrderFilter = { out_trade_no?: string; transaction_id?: string };

export interface PlatformOptions {
  state: PlatformState;
  payments: PaymentLookup;
  host: FunctionHost;
  /** The function message pushes are routed to (云开发 消息推送), e.g. tradeEvents; none = no pushes. */
  pushFunction?: string;
  appid: string;
  now?: () => number;
  log: (line: string) => void;
}

const SHIPPING_APIS = { uploadShippingInfo, getOrder, notifyConfirmReceive } as const;
export const CLOUD_NAMES: Record<keyof typeof SHIPPING_APIS | 'isTradeManaged', string> = {
  uploadShippingInfo: 'wxa.sec.order.uploadShippingInfo',
  getOrder: 'wxa.sec.order.getOrder',
  notifyConfirmReceive: 'wxa.sec.order.notifyConfirmReceive',
  isTradeManaged: 'wxa.sec.order.isTradeManaged',
};
export const HTTP_PATHS: Record<string, keyof typeof SHIPPING_APIS | 'isTradeManaged'> = {
  '/wxa/sec/order/upload_shipping_info': 'uploadShippingInfo',
  '/wxa/sec/order/get_order': 'getOrder',
  '/wxa/sec/order/notify_confirm_receive': 'notifyConfirmReceive',
  '/wxa/sec/order/is_trade_managed': 'isTradeManaged',
};

export class MiniPlatform {
  private faults: PlatformFaults = {};
  private prng: Prng = createPrng(1);
  readonly injected = { systemErrors: 0, rateLimited: 0, pushesDropped: 0, pushesDuplicated: 0, pushesSent: 0 };
  private readonly tokens = new Set<string>();
  private readonly ctx: ShippingContext;

  constructor(private readonly o: PlatformOptions) {
    this.ctx = { state: o.state, payments: o.payments, now: o.now ?? Date.now };
  }

  register(tables: CloudCallTables): void {
    for (const [name, handler] of Object.entries(SHIPPING_APIS)) tables.openApi.register(CLOUD_NAMES[name as keyof typeof SHIPPING_APIS], (call) => this.answer(() => handler(this.ctx, call.data)));
    tables.openApi.register(CLOUD_NAMES.isTradeManaged, () => ({ is_trade_managed: true }));
  }

  /** One API call with the faults applied first (an injected failure changes nothing). */
  async answer(run: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
    if (this.prng.chance(this.faults.systemErrorRate ?? 0)) {
      this.injected.systemErrors++;
      throw new WxApiError(-1, 'system error');
    }
    if (this.prng.chance(this.faults.rateLimitRate ?? 0)) {
      this.injected.rateLimited++;
      throw new WxApiError(44990, 'api freq out of limit');
    }
    return run();
  }

  /** The access-token path (off WeChat Cloud): the same APIs, the token checked. */
  async http(path: string, query: URLSearchParams, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    try {
      if (path === '/cgi-bin/stable_token') {
        if (body.grant_type !== 'client_credential' || body.appid !== this.o.appid || typeof body.secret !== 'string' || !body.secret) return { errcode: 40013, errmsg: 'invalid appid or secret' };
        const token = randomBytes(24).toString('base64url');
        this.tokens.add(token);
        return { access_token: token, expires_in: 7200 };
      }
      if (!this.tokens.has(query.get('access_token') ?? '')) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
      const api = HTTP_PATHS[path];
      if (!api) return { errcode: 404, errmsg: `not emulated: ${path} (see emulator/cloudbase/README.md)` };
      const out = api === 'isTradeManaged' ? { is_trade_managed: true } : await this.answer(() => SHIPPING_APIS[api](this.ctx, body));
      return { errcode: 0, errmsg: 'ok', ...out };
    } catch (e) {
      if (e instanceof WxApiError) return { errcode: e.errcode, errmsg: e.errmsg };
      throw e;
    }
  }

  setFaults(f: PlatformFaults): PlatformFaults {
    for (const k of ['systemErrorRate', 'rateLimitRate', 'dropPushRate', 'duplicatePushRate'] as const) {
      const v = f[k];
      if (v !== undefined && (typeof v !== 'number' || v < 0 || v > 1)) throw new Error(`${k} must be a number from 0 to 1`);
    }
    this.faults = { ...f };
    this.prng = createPrng(f.seed ?? 1);
    for (const k of Object.keys(this.injected) as (keyof typeof this.injected)[]) this.injected[k] = 0;
    return this.faults;
  }

  currentFaults(): PlatformFaults {
    return this.faults;
  }

  orders(): PlatformOrder[] {
    return this.o.state.list();
  }

  /**
   * The customer confirms receipt (method 2, manual) or the platform's automatic confirmation
   * arrives early (method 1, auto): 已发货 → 确认收货. With `settle` (the default) the funds settle at
   * once (→ 交易完成) and the settlement push goes out; without, the order waits in 确认收货 until
   * settle() — the real platform settles some time after confirmation. Only shipped (state 2)
   * orders of payments not fully refunded; the ones moved are returned.
   */
  async confirm(filter: OrderFilter, method: 1 | 2, settle = true): Promise<PlatformOrder[]> {
    const now = Math.floor(this.ctx.now() / 1000);
    const moved: PlatformOrder[] = [];
    for (const o of await this.matching(filter, 2)) {
      Object.assign(o, { state: 3, confirm_receive_method: method, confirm_receive_time: now });
      if (settle) Object.assign(o, { state: 4, settlement_time: now });
      moved.push(o);
    }
    this.o.state.save();
    if (settle) for (const o of moved) await this.push(o);
    return moved;
  }

  /** Confirmed (确认收货) orders settle (交易完成) and the settlement push goes out. */
  async settle(filter: OrderFilter): Promise<PlatformOrder[]> {
    const now = Math.floor(this.ctx.now() / 1000);
    const moved = await this.matching(filter, 3);
    for (const o of moved) Object.assign(o, { state: 4, settlement_time: now });
    this.o.state.save();
    for (const o of moved) await this.push(o);
    return moved;
  }

  private async matching(filter: OrderFilter, state: 2 | 3): Promise<PlatformOrder[]> {
    const out: PlatformOrder[] = [];
    for (const o of this.o.state.list()) {
      if (o.state !== state) continue;
      if (filter.out_trade_no && o.out_trade_no !== filter.out_trade_no) continue;
      if (filter.transaction_id && o.transaction_id !== filter.transaction_id) continue;
      const payment = await this.o.payments({ transaction_id: o.transaction_id });
      if (!payment || payment.refunded >= payment.total) continue;
      out.push(o);
    }
    return out;
  }

  /** trade_manage_order_settlement to the push function, with the push faults. */
  private async push(o: PlatformOrder): Promise<void> {
    const fn = this.o.pushFunction;
    if (!fn) return;
    if (this.prng.chance(this.faults.dropPushRate ?? 0)) {
      this.injected.pushesDropped++;
      return;
    }
    const copies = this.prng.chance(this.faults.duplicatePushRate ?? 0) ? 2 : 1;
    if (copies === 2) this.injected.pushesDuplicated++;
    const message = {
      ToUserName: this.o.appid, FromUserName: o.openid, CreateTime: Math.floor(this.ctx.now() / 1000), MsgType: 'event', Event: 'trade_manage_order_settlement',
      transaction_id: o.transaction_id, merchant_id: o.mchid, merchant_trade_no: o.out_trade_no, pay_time: o.pay_time,
      confirm_receive_method: o.confirm_receive_method, confirm_receive_time: o.confirm_receive_time, settlement_time: o.settlement_time,
    };
    for (let i = 0; i < copies; i++) {
      // WeChat retries a push that was not answered "success", up to 3 times.
      for (let attempt = 0; attempt < 3; attempt++) {
        const out = await this.o.host.invoke(fn, message, { source: 'wx_msg' }).catch(() => null);
        this.injected.pushesSent++;
        if (out?.ok && JSON.parse(out.json) === 'success') break;
        this.o.log(`[platform] push to ${fn} not answered "success" (attempt ${attempt + 1})`);
      }
    }
  }
}
