/**
 * The measured side of `npm run bench -- bills`, in its own process so its peak RSS is the
 * reconciliation's alone: wx-server-sdk → the CloudBase emulator (another process), lib/wechatpay
 * → the simulator (the parent process). Runs reconcileBillDay until the day is final (resuming from
 * the cursor like the timer would) and prints one JSON line: time, rows, peak RSS, DB round trips.
 */
import { reconcileBillDay } from '../../../lib/bills/run';
import { loadBillSettings } from '../../../lib/bills/settings';
import { loadConfig } from '../../../lib/config';
import { createPayGateway } from '../../../lib/functions/pay-client';
import { silentLogger } from '../../../lib/log';
import { loadOrderSettings } from '../../../lib/orders/settings';
import { asDatabase, type Database } from '../../../lib/store/db';

let started = Date.now();
const TERMINAL = new Set(['get', 'update', 'count', 'add', 'set', 'remove']);

/** Counts every call that reaches the database (a terminal get/update/add/set/remove/count). */
function counting(db: unknown, counter: { trips: number }): Database {
  const wrap = (target: object): object =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (typeof prop === 'string' && TERMINAL.has(prop)) counter.trips += 1;
          const t0 = Date.now();
          const out = value.apply(obj, args);
          if (process.env.BENCH_TRACE && out instanceof Promise) out.then(() => console.error(`trip ${String(prop)} ${Date.now() - t0} ms at ${Date.now() - started}`));
          return out && typeof out === 'object' && !(out instanceof Promise) && prop !== 'command' ? wrap(out) : out;
        };
      },
    });
  return wrap(db as object) as Database;
}

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk');
  cloud.init({ env: process.env.TCB_ENV });
  const counter = { trips: 0 };
  const date = process.env.BENCH_BILL_DATE!;
  started = Date.now();
  const raw = cloud.database();
  const db = counting(raw, counter);
  (db as { command: unknown }).command = raw.command;
  const config = loadConfig(process.env);
  const client = createPayGateway(config).client;
  if (process.env.BENCH_TRACE) {
    for (const name of ['queryByOutTradeNo', 'tradeBill'] as const) {
      const real = client[name].bind(client) as (...a: unknown[]) => Promise<unknown>;
      (client as Record<string, unknown>)[name] = async (...a: unknown[]) => {
        const t0 = Date.now();
        try {
          return await real(...a);
        } finally {
          console.error(`wx ${name} ${Date.now() - t0} ms at ${Date.now() - started}`);
        }
      };
    }
  }
  const deps = {
    db, pay: client, refundPay: client, bills: client,
    merchant: { appid: config.appid, mchid: config.mchid, notifyUrl: config.notifyUrl },
    settings: loadOrderSettings({}),
    refundSettings: { adminOpenids: new Set<string>(), reconcileMinAgeSeconds: 0 },
    billSettings: loadBillSettings(process.env),
    now: Date.now,
    log: process.env.BENCH_TRACE ? (e: string, f?: object) => console.error(`${Date.now() - started} ms ${e} ${JSON.stringify(f)}`) : silentLogger,
  };
  let runs = 0;
  let day;
  do {
    runs += 1;
    day = await reconcileBillDay(deps, date, { requestedBy: 'bench' });
  } while (day.status === 'RUNNING' && runs < 100);
  const ms = Date.now() - started;
  client.close();
  const rows = (day.rows?.payments ?? 0) + (day.rows?.refunds ?? 0);
  console.log(JSON.stringify({ status: day.status, rows, ms, runs, trips: counter.trips, healed: day.healedCount, discrepancies: day.discrepancyCount, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
