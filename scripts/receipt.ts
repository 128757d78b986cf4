/**
 * `npm run receipt -- <confirm|auto> <outTradeNo>` / `npm run receipt -- auto --all` / `npm run receipt -- list`:
 * the mini-program platform of the running local stack (`npm start`) — confirm receipt as the customer,
 * fast-forward the platform's automatic confirmation, or list what the platform knows. Either sends the
 * settlement push to tradeEvents, which asks getOrder and settles the order.
 */
import { DEFAULT_CLOUDBASE_PORT } from './local/stack';

const USAGE = 'usage: npm run receipt -- confirm <outTradeNo> | auto <outTradeNo> | auto --all | list   (needs `npm start` running)';
const STATE_WORDS: Record<number, string> = { 1: '待发货 awaiting shipment', 2: '已发货 shipped', 3: '确认收货 received', 4: '交易完成 settled' };

interface PlatformOrder { out_trade_no: string; state: number; uploads: number; shipping?: { logistics_type: number; shipping_list: { tracking_no?: string; express_company?: string }[] } }

async function post(base: string, path: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}/__emulator/platform/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

const line = (o: PlatformOrder): string => `${o.out_trade_no}  ${STATE_WORDS[o.state] ?? o.state}${o.shipping ? `  ${o.shipping.shipping_list.map((p) => `${p.express_company ?? ''} ${p.tracking_no ?? ''}`.trim() || `logistics_type ${o.shipping!.logistics_type}`).join(', ')}` : ''}`;

async function main(): Promise<number> {
  const [command, target] = process.argv.slice(2);
  const base = process.env.CLOUDBASE_URL ?? `http://127.0.0.1:${process.env.CLOUDBASE_EMULATOR_PORT ?? DEFAULT_CLOUDBASE_PORT}`;
  if (!command || command === '--help' || !['confirm', 'auto', 'list'].includes(command) || (command !== 'list' && !target)) {
    console.log(USAGE);
    return command === '--help' ? 0 : 2;
  }
  try {
    await fetch(`${base}/__emulator/health`);
  } catch {
    console.error(`no local stack at ${base}: start it with \`npm start\` (or set CLOUDBASE_URL)`);
    return 2;
  }
  if (command === 'list') {
    const res = await fetch(`${base}/__emulator/platform/orders`);
    const { orders } = (await res.json()) as { orders: PlatformOrder[] };
    if (!orders.length) console.log('The platform knows no order yet (it learns each one when it is shipped or looked up).');
    for (const o of orders) console.log(line(o));
    return 0;
  }
  const r = command === 'confirm' ? await post(base, 'confirm', { outTradeNo: target, by: 'customer' }) : await post(base, 'fast-forward', target === '--all' ? {} : { outTradeNo: target });
  if (r.status !== 200) {
    console.error(`${r.json.code}: ${r.json.message}`);
    return 1;
  }
  const moved = r.json.confirmed as PlatformOrder[];
  if (!moved.length) {
    console.error('No shipped order to confirm: record the shipment first (shipOrder, or the console).');
    return 1;
  }
  for (const o of moved) console.log(`${line(o)}  — ${command === 'confirm' ? 'confirmed by the customer' : 'confirmed automatically'}, settlement push sent`);
  return 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error((err as Error).message);
  process.exit(2);
});
