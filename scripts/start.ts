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
import { cliArgs, t } from './i18n';

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
      if (!v || v.startsWith('--')) throw new Error(t('start.needsValue', { flag: a, usage: t('start.usage') }));
      return v;
    };
    if (a === '--seed') out.seed = value();
    else if (a === '--import') out.importDir = value();
    else if (a === '--export') out.exportDir = value();
    else if (a === '--no-reload') out.reload = false;
    else throw new Error(t('start.unknownArg', { arg: a, usage: t('start.usage') }));
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(cliArgs());
  const dataDir = process.env.LOCAL_DATA_DIR ?? join(REPO_ROOT, '.local');
  const progress = (line: string): void => console.log(line);
  if (args.importDir) {
    const m = importState(args.importDir, dataDir);
    progress(t('start.imported', { count: m.files.length, dir: args.importDir, exportedAt: m.exportedAt, dataDir }));
  }
  const stack = await startLocalStack({ dataDir, timers: true, console: true, seedFile: args.seed, progress, timeScale: Number(process.env.WECHAT_SIMULATOR_TIME_SCALE ?? 1) });
  progress(t('start.buildingMp'));
  const mp = await buildMiniprogram({
    target: 'local',
    local: { functionsUrl: stack.cloudbaseUrl, simulatorUrl: stack.simulatorUrl },
    outDir: process.env.MP_OUT_DIR,
    log: () => undefined,
  });
  const reloader = args.reload ? await startReloader({ cloudbaseUrl: stack.cloudbaseUrl, log: progress }) : undefined;
  writeDevToolsPrivateConfig('local');
  const c = stack.credentials;
  console.log(t('start.banner', {
    dataDir: stack.dataDir, consoleUrl: stack.consoleUrl ?? '', cloudbaseUrl: stack.cloudbaseUrl, simulatorUrl: stack.simulatorUrl,
    notifyPath: NOTIFY_PATH, notifyOrigin: LOCAL_NOTIFY_ORIGIN, appid: c.appid, mchid: c.mchid, envId: c.envId,
    kib: (mp.mainPackageBytes / 1024).toFixed(0),
    reload: t(reloader ? 'start.reloadOn' : 'start.reloadOff'),
    exportNote: args.exportDir ? t('start.exportNote', { dir: args.exportDir }) : '',
  }));
  const stop = async (): Promise<void> => {
    await reloader?.close();
    await stack.close();
    if (args.exportDir) {
      const m = exportState(stack.dataDir, args.exportDir);
      progress(t('start.exported', { count: m.files.length, dir: args.exportDir }));
    }
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(t('start.failed', { message: (err as Error).message }));
  process.exit(1);
});
