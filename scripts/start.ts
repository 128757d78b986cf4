/**
 * `npm start`: the offline stack for development. Builds the functions and a local-mode
 * mini-program, starts the CloudBase emulator and the WeChat Pay simulator on 127.0.0.1, runs the
 * timers on their schedule, serves the web console (CONSOLE_PORT, 8792), and prints what is where. Ctrl-C stops it; data stays in
 * LOCAL_DATA_DIR (default .local/) for the next start.
 */
import { buildMiniprogram } from './build/miniprogram';
import { writeDevToolsPrivateConfig } from './build/devtools';
import { startLocalStack } from './local/stack';
import { LOCAL_NOTIFY_ORIGIN, NOTIFY_PATH } from './local/function-env';

async function main(): Promise<void> {
  const stack = await startLocalStack({ timers: true, console: true, timeScale: Number(process.env.WECHAT_SIMULATOR_TIME_SCALE ?? 1) });
  const mp = await buildMiniprogram({
    target: 'local',
    local: { functionsUrl: stack.cloudbaseUrl, simulatorUrl: stack.simulatorUrl },
    log: () => undefined,
  });
  // DevTools' domain check off for this build (it calls the stack on 127.0.0.1).
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

Ctrl-C to stop.`);
  const stop = async (): Promise<void> => {
    await stack.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`npm start failed: ${(err as Error).message}`);
  process.exit(1);
});
