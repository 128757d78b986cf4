/** Temp function folders shaped like `npm run build` output, for the deploy tests. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const QUERY_ORDER_CRON = '0 */5 * * * * *';

export function makeFunctionsDir(opts: { cron?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'wxpay-fns-'));
  const fns: Record<string, object | undefined> = {
    createOrder: undefined,
    login: undefined,
    payNotify: undefined,
    queryOrder: { triggers: [{ name: 'reconcile', type: 'timer', config: opts.cron ?? QUERY_ORDER_CRON }] },
  };
  for (const [name, config] of Object.entries(fns)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'index.js'), `"use strict";exports.main=async()=>({fn:${JSON.stringify(name)}});\n`);
    writeFileSync(join(dir, name, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
    if (config) writeFileSync(join(dir, name, 'config.json'), JSON.stringify(config));
  }
  return dir;
}
