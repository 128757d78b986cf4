/**
 * `npm run local -- <command>`: drive the running local stack (`npm start`) from a terminal. Each
 * command prints what happened in one line (orders and logs: one line per item) and exits 1 on
 * failure, with the reason. It reaches the stack the way any client does, over HTTP on 127.0.0.1
 * (CLOUDBASE_EMULATOR_PORT, WECHAT_SIMULATOR_PORT: the same variables npm start reads).
 */
import { formatYuan, parseYuan } from '../../lib/contract/money';
import { COLLECTIONS } from '../../lib/store/collections';
import { adminWire } from '../../emulator/cloudbase/admin-client';
import { DEFAULT_PORTS } from '../../emulator/shared/ports';
import { billCommand } from './bill-command';
import { receiptCommand } from './receipt-command';
import { LOCAL_STAFF_OPENID } from './staff';
import { cliArgs, t } from '../i18n';

/** The command list, in the CLI's language. */
export const help = (): string => t('local.help');

class CliError extends Error {}

const port = (name: string, fallback: number): number => Number(process.env[name] || fallback);
/** CLOUDBASE_URL when set (a stack elsewhere), else 127.0.0.1 on CLOUDBASE_EMULATOR_PORT. */
export const localCloudbaseUrl = (): string => process.env.CLOUDBASE_URL || `http://127.0.0.1:${port('CLOUDBASE_EMULATOR_PORT', DEFAULT_PORTS.cloudbase)}`;
const cloudbaseUrl = localCloudbaseUrl;
const simulatorUrl = (): string => `http://127.0.0.1:${port('WECHAT_SIMULATOR_PORT', DEFAULT_PORTS.wechat)}`;

async function http(method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; json: any }> {
  let res: Response;
  try {
    res = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new CliError(t('local.unreachable', { origin: new URL(url).origin }));
  }
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

const reason = (json: any): string => json?.message ?? json?.errMsg ?? json?.error?.message ?? JSON.stringify(json);

async function findPrepay(outTradeNo: string): Promise<string> {
  const { json } = await http('GET', `${simulatorUrl()}/__sim/transactions`);
  const found = (json.transactions as any[]).find((x) => x.out_trade_no === outTradeNo);
  if (!found) throw new CliError(t('local.noOrder', { outTradeNo }));
  return found.prepay_id;
}

async function callFunction(name: string, data: unknown, openid: string): Promise<any> {
  const { json } = await http('POST', `${cloudbaseUrl()}/functions/${name}`, { data, openid });
  if (json?.errCode !== undefined && json.errCode !== 0) throw new CliError(t('local.functionFailed', { name, errMsg: json.errMsg }));
  const r = json?.result;
  if (r?.error) throw new CliError(t('local.functionRefused', { name, code: r.error.code, message: r.error.message }) + (r.error.retryable ? t('local.retryable') : ''));
  return r;
}

async function admin() {
  const { json } = await http('GET', `${cloudbaseUrl()}/__emulator/health`);
  return adminWire(`${cloudbaseUrl()}/admin`, json.envId);
}

type Out = (line: string) => void;

/** A command prints through `out` and fails by throwing; one that answers a number exits with it (bill: 1 = discrepancies). */
const commands: Record<string, (args: string[], out: Out) => Promise<void | number>> = {
  async pay(args, out) {
    const no = args.find((a) => !a.startsWith('--'));
    if (!no) throw new CliError(t('local.usage', { usage: 'pay <outTradeNo> [--fail|--cancel]' }));
    const result = args.includes('--fail') ? 'PAYERROR' : args.includes('--cancel') ? 'CANCEL' : 'SUCCESS';
    const { status, json } = await http('POST', `${simulatorUrl()}/__sim/pay`, { prepay_id: await findPrepay(no), result });
    if (status !== 200) throw new CliError(`pay ${no}: ${reason(json)}`);
    out(t('local.pay.done', { outTradeNo: no, errMsg: json.errMsg, tradeState: json.trade_state }) + (json.transaction_id ? t('local.pay.transaction', { transactionId: json.transaction_id }) : ''));
  },
  async refund(args, out) {
    const [no, yuan] = args;
    if (!no) throw new CliError(t('local.usage', { usage: 'refund <outTradeNo> [yuan]' }));
    const parsed = parseYuan(yuan ?? '');
    if (parsed.error) throw new CliError(t('local.refund.badAmount', { outTradeNo: no, problem: t(parsed.problem === 'BELOW_MINIMUM' ? 'local.refund.belowMinimum' : 'local.refund.notAnAmount', { text: yuan ?? '' }) }));
    const r = await callFunction('refundOrder', { outTradeNo: no, reason: t('local.refund.reason'), ...(parsed.fen ? { amount: parsed.fen } : {}) }, LOCAL_STAFF_OPENID);
    const refund = r?.refund;
    if (!refund) throw new CliError(t('local.refund.unexpected', { outTradeNo: no, answer: JSON.stringify(r) }));
    out(t('local.refund.done', { outTradeNo: no, outRefundNo: refund.outRefundNo, amount: formatYuan(refund.amount), status: refund.status }));
  },
  async ship(args, out) {
    const [no, trackingNo, expressCompany] = args;
    if (!no || (trackingNo && !expressCompany)) throw new CliError(t('local.usage', { usage: 'ship <outTradeNo> [trackingNo expressCompany]' }));
    // Express needs a tracking number and company; pickup, same-city and virtual orders neither (shipOrder says which).
    const data = { outTradeNo: no, ...(trackingNo ? { parcels: [{ trackingNo, expressCompany }] } : {}) };
    const r = await callFunction('shipOrder', data, LOCAL_STAFF_OPENID);
    const f = r?.fulfilment;
    if (!f) throw new CliError(t('local.refund.unexpected', { outTradeNo: no, answer: JSON.stringify(r) }));
    const parcels = (f.parcels as Array<{ expressCompany?: string; trackingNo?: string }>).map((p) => [p.expressCompany, p.trackingNo].filter(Boolean).join(' ')).filter(Boolean).join(', ');
    out(t('local.ship.done', { outTradeNo: no, status: f.status, kind: f.kind, parcels: parcels ? ` ${parcels}` : '' }) + (r.replayed ? t('local.ship.replayed') : '') + (r.pendingUpload ? t('local.ship.pending') : ''));
  },
  async resend(args, out) {
    const [id] = args;
    if (!id) throw new CliError(t('local.usage', { usage: 'resend <notificationId>' }));
    const { status, json } = await http('POST', `${simulatorUrl()}/__sim/notifications/${encodeURIComponent(id)}/resend`, {});
    if (status >= 300) throw new CliError(`resend ${id}: ${reason(json)}`);
    out(t('local.resend.done', { id, outTradeNo: json.out_trade_no, eventType: json.event_type, attempt: json.attempts?.length ?? 0, state: json.state }));
  },
  async timer(args, out) {
    const name = args[0] ?? 'queryOrder';
    const { status, json } = await http('POST', `${cloudbaseUrl()}/__emulator/trigger/${encodeURIComponent(name)}`);
    if (status !== 200 || (json?.errCode !== undefined && json.errCode !== 0)) throw new CliError(`timer ${name}: ${reason(json)}`);
    out(t('local.timer.done', { name, result: JSON.stringify(json.result) }));
  },
  async faults(args, out) {
    const spec = args.find((a) => !a.startsWith('--'));
    if (!spec) throw new CliError(t('local.usage', { usage: 'faults <json|clear> [--db]' }));
    let faults: unknown = {};
    if (spec !== 'clear') {
      try {
        faults = JSON.parse(spec);
      } catch {
        throw new CliError(t('local.faults.notJson', { spec }));
      }
    }
    const db = args.includes('--db');
    const { status, json } = await http('POST', db ? `${cloudbaseUrl()}/__emulator/faults` : `${simulatorUrl()}/__sim/faults`, faults);
    if (status !== 200) throw new CliError(`faults: ${reason(json)}`);
    out(t('local.faults.done', { target: t(db ? 'local.faults.db' : 'local.faults.sim'), faults: JSON.stringify(json.faults) }));
  },
  async orders(args, out) {
    const i = args.indexOf('--status');
    const status = i >= 0 ? args[i + 1] : undefined;
    if (i >= 0 && !status) throw new CliError(t('local.usage', { usage: 'orders [--status S]' }));
    const docs = await (await admin()).find(COLLECTIONS.orders, status ? { status } : {}, { limit: 100, order: [{ field: 'createdAt', direction: 'desc' }] });
    if (docs.length === 0) return out(status ? t('local.orders.noneStatus', { status }) : t('local.orders.none'));
    for (const o of docs as any[]) out(`${o._id}  ${String(o.status).padEnd(8)} ¥${formatYuan(o.amount?.total ?? 0).padStart(8)}  ${o.openid}`);
  },
  async logs(args, out) {
    const i = args.indexOf('--function');
    const fn = i >= 0 ? args[i + 1] : undefined;
    if (i >= 0 && !fn) throw new CliError(t('local.usage', { usage: 'logs [--function F] [--follow]' }));
    let after = 0;
    for (;;) {
      const q = new URLSearchParams({ after: String(after), ...(fn ? { function: fn } : {}) });
      const { status, json } = await http('GET', `${cloudbaseUrl()}/__emulator/logs?${q}`);
      if (status !== 200) throw new CliError(`logs: ${reason(json)}`);
      for (const e of json.logs) out(`${new Date(e.at).toISOString()} ${e.function}: ${e.line}`);
      after = Math.max(after, json.last);
      if (!args.includes('--follow')) {
        if (json.logs.length === 0) out(fn ? t('local.logs.noneFrom', { fn }) : t('local.logs.none'));
        return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  },
  async reset(_args, out) {
    const sim = await http('POST', `${simulatorUrl()}/__sim/reset`, {});
    if (sim.status >= 300) throw new CliError(`reset: ${reason(sim.json)}`);
    await http('POST', `${cloudbaseUrl()}/__emulator/faults`, {});
    const wire = await admin();
    const deleted: string[] = [];
    for (const name of Object.values(COLLECTIONS).filter((c) => c !== COLLECTIONS.products)) {
      const r = await wire.send('database.removeDocument', { collectionName: name, query: '{}', queryType: 'WHERE', multi: true });
      deleted.push(`${r.deleted ?? 0} ${name}`);
    }
    out(t('local.reset.done', { deleted: deleted.join(', ') }));
  },
  // The after-the-payment commands; `npm run bill` and `npm run receipt` are aliases of these.
  bill: (args, out) => billCommand(args, { base: cloudbaseUrl(), cmd: 'npm run local -- bill', out, err: (l) => console.error(l) }),
  receipt: (args, out) => receiptCommand(args, { base: cloudbaseUrl(), cmd: 'npm run local -- receipt', out, err: (l) => console.error(l) }),
};

export async function runCli(argv: string[], out: Out = (l) => console.log(l)): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') {
    out(help());
    return command ? 0 : 1;
  }
  const run = commands[command];
  if (!run) {
    console.error(t('local.unknownCommand', { command, help: help() }));
    return 1;
  }
  try {
    const code = await run(args, out);
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    console.error(e instanceof CliError ? e.message : t('local.commandFailed', { command, message: (e as Error).message }));
    return 1;
  }
}

if (require.main === module) {
  runCli(cliArgs()).then((code) => process.exit(code));
}
