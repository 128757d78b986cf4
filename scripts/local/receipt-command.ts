/**
 * `npm run local -- receipt confirm <outTradeNo> | auto <outTradeNo> | auto --all | list` (alias
 * `npm run receipt -- …`): the mini-program platform of the running local stack — confirm receipt as
 * the customer, fast-forward the platform's automatic confirmation, or list what the platform knows.
 * A confirmation sends the settlement push to tradeEvents, which asks getOrder and settles the
 * order. Exit 0 done, 1 refused (e.g. NOT_SHIPPED), 2 usage or no stack.
 */
import { t, type CliKey } from '../i18n';
import type { CommandIo } from './bill-command';

interface PlatformOrder { out_trade_no: string; state: number; uploads: number; shipping?: { logistics_type: number; shipping_list: { tracking_no?: string; express_company?: string }[] } }

// The platform's order_state numbers (1 待发货 … 4 交易完成), in words.
const stateWords = (state: number): string => ([1, 2, 3, 4].includes(state) ? t(`receipt.state.${state}` as CliKey) : String(state));

const parcels = (o: PlatformOrder): string =>
  o.shipping ? `  ${o.shipping.shipping_list.map((p) => `${p.express_company ?? ''} ${p.tracking_no ?? ''}`.trim() || `logistics_type ${o.shipping!.logistics_type}`).join(', ')}` : '';
const line = (o: PlatformOrder): string => `${o.out_trade_no}  ${stateWords(o.state)}${parcels(o)}`;

export async function receiptCommand(args: string[], io: CommandIo): Promise<number> {
  const [command, target] = args;
  if (!command || command === '--help' || !['confirm', 'auto', 'list'].includes(command) || (command !== 'list' && !target)) {
    io.out(t('receipt.usage', { cmd: io.cmd }));
    return command === '--help' ? 0 : 2;
  }
  const platform = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: any } | undefined> => {
    try {
      const res = await fetch(`${io.base}/__emulator/platform/${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, json: await res.json() };
    } catch {
      io.err(t('bill.noStack', { base: io.base }));
      return undefined;
    }
  };
  if (command === 'list') {
    const r = await platform('GET', 'orders');
    if (!r) return 2;
    const orders = r.json.orders as PlatformOrder[];
    if (!orders.length) io.out(t('receipt.noOrders'));
    for (const o of orders) io.out(line(o));
    return 0;
  }
  const r = command === 'confirm' ? await platform('POST', 'confirm', { outTradeNo: target, by: 'customer' }) : await platform('POST', 'fast-forward', target === '--all' ? {} : { outTradeNo: target });
  if (!r) return 2;
  if (r.status !== 200) {
    // The code stays as the platform sends it; the sentence is ours when we know the code.
    io.err(r.json.code === 'NOT_SHIPPED' ? `NOT_SHIPPED: ${t('receipt.nothingShipped')}` : `${r.json.code}: ${r.json.message}`);
    return 1;
  }
  const moved = r.json.confirmed as PlatformOrder[];
  if (!moved.length) {
    io.err(t('receipt.nothingShipped'));
    return 1;
  }
  for (const o of moved) io.out(t('receipt.moved', { line: line(o), how: t(command === 'confirm' ? 'receipt.byCustomer' : 'receipt.automatic') }));
  return 0;
}
