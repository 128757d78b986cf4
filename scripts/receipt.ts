/**
 * `npm run receipt -- <confirm|auto> <outTradeNo>` / `npm run receipt -- auto --all` / `npm run receipt -- list`:
 * the mini-program platform of the running local stack (`npm start`) — confirm receipt as the customer,
 * fast-forward the platform's automatic confirmation, or list what the platform knows. Either sends the
 * settlement push to tradeEvents, which asks getOrder and settles the order.
 */
import { DEFAULT_CLOUDBASE_PORT } from './local/stack';
import { cliArgs, t, type CliKey } from './i18n';

// The platform's order_state numbers (1 待发货 … 4 交易完成), in words.
const stateWords = (state: number): string => ([1, 2, 3, 4].includes(state) ? t(`receipt.state.${state}` as CliKey) : String(state));

interface PlatformOrder { out_trade_no: string; state: number; uploads: number; shipping?: { logistics_type: number; shipping_list: { tracking_no?: string; express_company?: string }[] } }

async function post(base: string, path: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}/__emulator/platform/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

const line = (o: PlatformOrder): string => `${o.out_trade_no}  ${stateWords(o.state)}${o.shipping ? `  ${o.shipping.shipping_list.map((p) => `${p.express_company ?? ''} ${p.tracking_no ?? ''}`.trim() || `logistics_type ${o.shipping!.logistics_type}`).join(', ')}` : ''}`;

async function main(): Promise<number> {
  const [command, target] = cliArgs();
  const base = process.env.CLOUDBASE_URL ?? `http://127.0.0.1:${process.env.CLOUDBASE_EMULATOR_PORT ?? DEFAULT_CLOUDBASE_PORT}`;
  if (!command || command === '--help' || !['confirm', 'auto', 'list'].includes(command) || (command !== 'list' && !target)) {
    console.log(t('receipt.usage'));
    return command === '--help' ? 0 : 2;
  }
  try {
    await fetch(`${base}/__emulator/health`);
  } catch {
    console.error(t('bill.noStack', { base }));
    return 2;
  }
  if (command === 'list') {
    const res = await fetch(`${base}/__emulator/platform/orders`);
    const { orders } = (await res.json()) as { orders: PlatformOrder[] };
    if (!orders.length) console.log(t('receipt.noOrders'));
    for (const o of orders) console.log(line(o));
    return 0;
  }
  const r = command === 'confirm' ? await post(base, 'confirm', { outTradeNo: target, by: 'customer' }) : await post(base, 'fast-forward', target === '--all' ? {} : { outTradeNo: target });
  if (r.status !== 200) {
    // The code stays as the platform sends it; the sentence is ours when we know the code.
    console.error(r.json.code === 'NOT_SHIPPED' ? `NOT_SHIPPED: ${t('receipt.nothingShipped')}` : `${r.json.code}: ${r.json.message}`);
    return 1;
  }
  const moved = r.json.confirmed as PlatformOrder[];
  if (!moved.length) {
    console.error(t('receipt.nothingShipped'));
    return 1;
  }
  for (const o of moved) console.log(t('receipt.moved', { line: line(o), how: t(command === 'confirm' ? 'receipt.byCustomer' : 'receipt.automatic') }));
  return 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error((err as Error).message);
  process.exit(2);
});
