/**
 * `npm start`: the offline stack for development. Builds the functions and a local-mode
 * mini-program, starts the CloudBase emulator and the WeChat Pay simulator on 127.0.0.1, runs the
 * timers on their schedule, serves the web console (CONSOLE_PORT, 8792), and prints what is where. Ctrl-C stops it; data stays in
 * LOCAL_DATA_DIR (default .local/) for the next start.
 */
import { join } from 'node:path';
import { buildMiniprogram } from './build/miniprogram';
import { writeDevToolsPrivateConfig } from './build/devtools';
import { REPO_ROOT } from './build/functions';
import { exportState, importState } from './local/snapshot';
import { startLocalStack } from './local/stack';
import { startReloader } from './local/reload';
import { LOCAL_NOTIFY_ORIGIN, NOTIFY_PATH } from './local/function-env';

const USAGE = 'npm start [-- --seed FILE] [--import DIR] [--export DIR] [--no-reload]';

interface StartArgs {
  seed?: string;
  importDir?: string;
  exportDir?: string;
  reload: boolean;
}

function parseArgs(argv: string[]): StartArgs {
  const out: StartArgs = { reload: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (!v || v.startsWith('--')) throw new Error(`${a} needs a value (${USAGE})`);
      return v;
    };
    if (a === '--seed') out.seed = value();
    else if (a === '--import') out.importDir = value();
    else if (a === '--export') out.exportDir = value();
    else if (a === '--no-reload') out.reload = false;
    else throw new Error(`unknown argument ${a} (${USAGE})`);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dataDir = process.env.LOCAL_DATA_DIR ?? join(REPO_ROOT, '.local');
  const progress = (line: string): void => console.log(line);
  if (args.importDir) {
    const m = importState(args.importDir, dataDir);
    progress(`Imported ${m.files.length} files from ${args.importDir} (exported ${m.exportedAt}) into ${dataDir}`);
  }
  const stack = await startLocalStack({ dataDir, timers: true, console: true, seedFile: args.seed, progress, timeScale: Number(process.env.WECHAT_SIMULATOR_TIME_SCALE ?? 1) });
  progress('Building the mini-program (local mode)…');
  const mp = await buildMiniprogram({
    target: 'local',
    local: { functionsUrl: stack.cloudbaseUrl, simulatorUrl: stack.simulatorUrl },
    outDir: process.env.MP_OUT_DIR,
    log: () => undefined,
  });
  const reloader = args.reload ? await startReloader({ cloudbaseUrl: stack.cloudbaseUrl, log: progress }) : undefined;
  writeDevToolsPrivateConfig('local');
  const c = stack.credentials;
  console.log(`
wxcloud-pay local stack is up (data in ${stack.dataDir})

  Web console          ${stack.consoleUrl}   (orders, notifications, faults, pay as the customer)

  CloudBase emulator   ${stack.cloudbaseUrl}
    TCB admin API      ${stack.cloudbaseUrl}/admin        (wx-server-sdk: TCB_CONTEXT_CNFG)
    call a function    POST ${stack.cloudbaseUrl}/functions/{name}  {"data": {...}, "openid": "..."}
    payNotify          ${stack.cloudbaseUrl}${NOTIFY_PATH}   (notify_url ${LOCAL_NOTIFY_ORIGIN}${NOTIFY_PATH})
    fire the timer     POST ${stack.cloudbaseUrl}/__emulator/trigger/queryOrder
  WeChat Pay simulator ${stack.simulatorUrl}
    pay as the user    POST ${stack.simulatorUrl}/__sim/pay  {"prepay_id": "...", "result": "SUCCESS"}
    notifications      GET  ${stack.simulatorUrl}/__sim/notifications
  Dev merchant         appid ${c.appid}, mchid ${c.mchid}, env ${c.envId} (keys in ${stack.dataDir}/credentials.json)
  Mini-program         built for local mode (${(mp.mainPackageBytes / 1024).toFixed(0)} KiB): open the project in WeChat DevTools
                       with "不校验合法域名" (domain checking off).

  Code changes         ${reloader ? 'lib/ and cloudfunctions/ are watched: saved changes are rebuilt and used by the next call' : 'not watched (--no-reload)'}
  Terminal             npm run local -- help   (pay, refund, resend, timer, faults, orders, logs, reset)

Ctrl-C to stop${args.exportDir ? ` (the state is then exported to ${args.exportDir})` : ''}.`);
  const stop = async (): Promise<void> => {
    await reloader?.close();
    await stack.close();
    if (args.exportDir) {
      const m = exportState(stack.dataDir, args.exportDir);
      progress(`Exported the local state (${m.files.length} files) to ${args.exportDir}; load it with npm start -- --import ${args.exportDir}`);
    }
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`npm start failed: ${(err as Error).message}`);
  process.exit(1);
});
