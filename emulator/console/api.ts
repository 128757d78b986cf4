/**
 * The console's JSON API (/api/*), each route a thin composition of upstream calls. Bad input is
 * a 400 with a stable code and changes nothing; upstream answers are relayed with their status.
 */
import { ORDER_STATUSES, REFUND_STATUSES } from '../../lib/contract/status';
import { COLLECTIONS } from '../../lib/store/collections';
import type { Delivery } from '../wechat';
import { listBills, runBillAction } from './bills';
import { openDelivery } from './decrypt';
import { ConsoleError } from './errors';
import { platformOrder, receiptAction, shipAction } from './fulfilment';
import { refundAction } from './refund';
import type { Upstream, UpstreamReply } from './upstream';

export { ConsoleError };

export interface ApiRequest {
  params: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
}
export type ApiHandler = (req: ApiRequest) => Promise<UpstreamReply>;
export interface ApiDeps {
  upstream: Upstream;
  apiV3Key: string;
  info: Record<string, unknown>;
}

export const KNOWN_COLLECTIONS: string[] = Object.values(COLLECTIONS);
/** What "reset" empties; the product catalogue stays so the shop still works. */
const RESETTABLE = KNOWN_COLLECTIONS.filter((c) => c !== COLLECTIONS.products);
/** The status words of each collection that has them (lib/contract/status.ts). */
export const COLLECTION_STATUSES: Readonly<Record<string, readonly string[]>> = {
  [COLLECTIONS.orders]: ORDER_STATUSES,
  [COLLECTIONS.refunds]: REFUND_STATUSES,
};
/** What the payer can do to a JSAPI payment: a failure leaves it NOTPAY (PAYERROR is micropay-only). */
const PAY_RESULTS = ['SUCCESS', 'FAIL', 'CANCEL'];

const ok = (body: unknown, status = 200): UpstreamReply => ({ status, body });

function collectionParam(name: string): string {
  if (!KNOWN_COLLECTIONS.includes(name)) throw new ConsoleError(404, 'UNKNOWN_COLLECTION', `no collection "${name}" (known: ${KNOWN_COLLECTIONS.join(', ')})`);
  return name;
}

function stringField(body: Record<string, unknown>, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v.length === 0) throw new ConsoleError(400, 'INVALID_INPUT', `${field} must be a non-empty string`);
  return v;
}

export function createApi({ upstream, apiV3Key, info }: ApiDeps): Record<string, ApiHandler> {
  const { admin } = upstream;
  // The emulator has no GET for its faults: remember what was set through here.
  let cloudbaseFaults: unknown = {};
  const simJson = async (path: string): Promise<any> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const r = await upstream.sim('GET', path);
    if (r.status !== 200) throw new ConsoleError(502, 'SIMULATOR_UNAVAILABLE', `simulator answered ${r.status} on ${path}`);
    return r.body;
  };
  const notifications = async (outTradeNo?: string) => {
    const q = outTradeNo ? `?out_trade_no=${encodeURIComponent(outTradeNo)}` : '';
    const list = (await simJson(`/notifications${q}`)).notifications as Delivery[];
    return list.map((d) => openDelivery(d, apiV3Key)).reverse();
  };

  return {
    'GET /api/info': async () => ok(info),
    'GET /api/collections': async () =>
      ok({ collections: await Promise.all(KNOWN_COLLECTIONS.map(async (name) => ({ name, count: await admin.count(name), statuses: COLLECTION_STATUSES[name] ?? [] }))) }),
    'GET /api/collections/{name}': async ({ params, query }) => {
      const name = collectionParam(params[0]);
      const status = query.get('status');
      const statuses = COLLECTION_STATUSES[name];
      if (status && !statuses) throw new ConsoleError(400, 'INVALID_INPUT', `${name} has no status to filter by`);
      if (status && !statuses.includes(status)) throw new ConsoleError(400, 'INVALID_INPUT', `status of ${name} must be one of ${statuses.join(', ')}`);
      const filter = status ? { status } : {};
      const order = name === COLLECTIONS.products ? undefined : [{ field: name === COLLECTIONS.paymentEvents ? 'at' : 'createdAt', direction: 'desc' as const }];
      return ok({ docs: await admin.find(name, filter, { limit: 200, order }) });
    },
    'GET /api/collections/{name}/{id}': async ({ params }) => {
      const [doc] = await admin.find(collectionParam(params[0]), { _id: params[1] });
      if (!doc) throw new ConsoleError(404, 'DOCUMENT_NOT_FOUND', `no document ${params[1]} in ${params[0]}`);
      return ok({ doc });
    },
    // One order with everything known about it, from both sides.
    'GET /api/orders/{no}': async ({ params }) => {
      const no = params[0];
      const [order] = await admin.find(COLLECTIONS.orders, { _id: no });
      if (!order) throw new ConsoleError(404, 'ORDER_NOT_FOUND', `no order ${no}`);
      const events = await admin.find(COLLECTIONS.paymentEvents, { outTradeNo: no }, { order: [{ field: 'at', direction: 'asc' }] });
      const ledger = (await simJson('/transactions')).transactions as Array<{ out_trade_no: string }>;
      const refunds = await admin.find(COLLECTIONS.refunds, { outTradeNo: no }, { order: [{ field: 'createdAt', direction: 'asc' }] });
      return ok({ order, events, refunds, transaction: ledger.find((t) => t.out_trade_no === no) ?? null, notifications: await notifications(no), platform: await platformOrder(upstream, no) });
    },
    'GET /api/transactions': async () => ok({ transactions: ((await simJson('/transactions')).transactions as unknown[]).reverse() }),
    'GET /api/notifications': async () => ok({ notifications: await notifications() }),
    'POST /api/notifications/{id}/resend': async ({ params }) => upstream.sim('POST', `/notifications/${encodeURIComponent(params[0])}/resend`),
    // The customer at the WeChat payment sheet: pay, fail or cancel the order's live prepay.
    'POST /api/pay': async ({ body }) => {
      const no = stringField(body, 'outTradeNo');
      const result = body.result ?? 'SUCCESS';
      if (typeof result !== 'string' || !PAY_RESULTS.includes(result)) throw new ConsoleError(400, 'INVALID_INPUT', `result must be one of ${PAY_RESULTS.join(', ')}`);
      const ledger = (await simJson('/transactions')).transactions as Array<{ out_trade_no: string; prepay_id: string }>;
      const t = ledger.find((x) => x.out_trade_no === no);
      if (!t) throw new ConsoleError(404, 'PREPAY_NOT_FOUND', `WeChat Pay has no prepay for ${no}`);
      return upstream.sim('POST', '/pay', { prepay_id: t.prepay_id, result });
    },
    // Merchant staff refunding: refundOrder through POST /functions/refundOrder as the stack's staff openid.
    'POST /api/refund': async ({ body }) => refundAction(upstream, info.staffOpenid, body),
    // After the payment: staff ship (shipOrder), the developer confirms receipt as the customer or the platform.
    'POST /api/ship': async ({ body }) => shipAction(upstream, info.staffOpenid, body),
    'POST /api/receipt': async ({ body }) => receiptAction(upstream, body),
    // The daily bill reconciliation: each day's result, and staff reconciling a date now (reconcileBill).
    'GET /api/bills': async () => listBills(upstream, Date.now()),
    'POST /api/bills/run': async ({ body }) => runBillAction(upstream, info.staffOpenid, body),
    'POST /api/functions/{name}': async ({ params, body }) => upstream.callFunction(params[0], body.data ?? {}, stringField(body, 'openid')),
    'POST /api/trigger/{name}': async ({ params }) => upstream.trigger(params[0]),
    'GET /api/logs': async ({ query }) => {
      const q = new URLSearchParams();
      const fn = query.get('function');
      if (fn) q.set('function', fn);
      q.set('limit', '500');
      const r = await upstream.logs(q);
      if (r.status !== 200) throw new ConsoleError(502, 'CLOUDBASE_UNAVAILABLE', `the CloudBase emulator answered ${r.status} on /__emulator/logs`);
      return ok({ logs: (r.body.logs as unknown[]).reverse(), functions: r.body.functions });
    },
    'GET /api/faults': async () => ok({ simulator: await simJson('/faults'), cloudbase: cloudbaseFaults }),
    'POST /api/faults/simulator': async ({ body }) => upstream.sim('POST', '/faults', body),
    'POST /api/faults/cloudbase': async ({ body }) => {
      const r = await upstream.cloudbaseFaults(body);
      if (r.status === 200) cloudbaseFaults = body;
      return r;
    },
    'POST /api/reset': async () => {
      const sim = await upstream.sim('POST', '/reset');
      if (sim.status !== 204) return sim;
      const cb = await upstream.cloudbaseFaults({});
      if (cb.status === 200) cloudbaseFaults = {};
      const deleted: Record<string, number> = {};
      for (const name of RESETTABLE) deleted[name] = Number((await admin.send('database.removeDocument', { collectionName: name, query: '{}', queryType: 'WHERE', multi: true })).deleted ?? 0);
      return ok({ simulator: 'reset', deleted });
    },
  };
}
