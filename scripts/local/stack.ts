/**
 * The embedded local stack: the WeChat Pay simulator and the CloudBase emulator on 127.0.0.1,
 * the built functions hosted with the dev merchant's configuration, the demo catalogue seeded,
 * payNotify routed at /pay/notify. `npm start`, `npm run demo` and the end-to-end tests all
 * start it through this one function.
 */
import { join } from 'path';
import { startCloudbaseEmulator } from '../../emulator/cloudbase';
import { DEFAULT_PORTS } from '../../emulator/shared/ports';
import { DEFAULT_CONSOLE_PORT, startConsole, type ConsoleServer } from '../../emulator/console';
import { loadOrCreateCredentials, type DevCredentials } from '../../emulator/credentials';
import { startWechatSimulator, type WechatSimulator } from '../../emulator/wechat';
import { buildFunctions, FUNCTIONS_DIR, listFunctionNames, REPO_ROOT } from '../build/functions';
import { adminWire, type AdminWire } from '../../emulator/cloudbase/admin-client';
import { applySeed, describeSeeded, loadSeed } from './seed';
import { startCloudbaseChild, type CloudbaseChild } from './cloudbase-child';
import { functionEnvFor, LOCAL_NOTIFY_ORIGIN, NOTIFY_PATH } from './function-env';
import { LOCAL_STAFF_OPENID, withLocalStaff } from './staff';
import { t } from '../i18n';
import { indexFields } from '../../lib/store/deployment';

export { LOCAL_STAFF_OPENID } from './staff';

export interface LocalStackOptions {
  dataDir?: string;
  /** 0 picks a free port (tests); defaults come from the env or DEFAULT_PORTS. */
  cloudbasePort?: number;
  simulatorPort?: number;
  /** Fire timers on their cron schedule (npm start); tests fire them explicitly instead. */
  timers?: boolean;
  /** Skip the esbuild step when the caller already built the functions. */
  build?: boolean;
  /** Extra or overriding function environment (e.g. RECONCILE_MIN_AGE_SECONDS=0 in tests). */
  functionEnv?: Record<string, string | undefined>;
  /** Notification retry schedule compression (1 = real time). */
  timeScale?: number;
  /** Seconds WeChat Pay takes to finish a refund, before timeScale (the simulator's default 5). */
  refundDelaySeconds?: number;
  functionTimeoutMs?: number;
  seed?: number;
  /** Where function and emulator log lines go (default stderr). */
  log?: (line: string) => void;
  /** Extra HTTP access routes (path → function), e.g. SCF-style `/fn/login` → login; /pay/notify is always routed. */
  routes?: Record<string, string>;
  /**
   * Run the CloudBase emulator as a child process (emulator/cloudbase/cli.ts) instead of in this
   * process, so a chaos run can SIGKILL and restart it (`stack.cloudbaseProcess`). Default false.
   */
  cloudbaseProcess?: boolean;
  /** Serve the local web console (emulator/console) too: `true` uses CONSOLE_PORT or 8792; a number is the port (0 = free). Default off. */
  console?: boolean | number;
  /** Seed file (products, optional users/orders); default `<dataDir>/seed.json` if present, else the demo seed (scripts/local/seed.ts). */
  seedFile?: string;
  /** One line per start step (npm start prints them); default silent. */
  progress?: (line: string) => void;
}

export interface LocalStack {
  dataDir: string;
  credentials: DevCredentials;
  envId: string;
  cloudbaseUrl: string;
  simulatorUrl: string;
  admin: AdminWire;
  functionEnv: Record<string, string>;
  /** The simulator's own handle (ledger, clock, faults) for tests and the chaos run. */
  simulator: WechatSimulator;
  /** Present when started with `cloudbaseProcess: true`: kill/restart the emulator process. */
  cloudbaseProcess?: CloudbaseChild;
  /** The web console's URL when started with `console`. */
  consoleUrl?: string;
  /** LOCAL_STAFF_OPENID: always in the functions' REFUND_ADMIN_OPENIDS on the local stack. */
  staffOpenid: string;
  close(): Promise<void>;
}

export const DEFAULT_CLOUDBASE_PORT = DEFAULT_PORTS.cloudbase;
export const DEFAULT_SIMULATOR_PORT = DEFAULT_PORTS.wechat;

function portFrom(value: number | undefined, envName: string, fallback: number): number {
  if (value !== undefined) return value;
  const raw = process.env[envName];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(t('stack.badPort', { envName, raw }));
  return port;
}

/** A port taken by something else: say which service and which variable moves it. */
async function listening<T>(service: string, envName: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' || /EADDRINUSE/.test((err as Error).message)) {
      throw new Error(t('stack.portInUse', { service, port, envName }));
    }
    throw err;
  }
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = options.dataDir ?? process.env.LOCAL_DATA_DIR ?? join(REPO_ROOT, '.local');
  const progress = options.progress ?? (() => undefined);
  // Read and checked before anything starts: a bad seed file changes nothing.
  const seedData = loadSeed(options.seedFile, dataDir);
  if (options.build !== false) {
    const t0 = Date.now();
    progress(t('stack.building'));
    const built = await buildFunctions({ local: true });
    progress(t('stack.built', { count: built.length, ms: Date.now() - t0 }));
  }
  const credentials = loadOrCreateCredentials(dataDir);
  const simulatorPort = portFrom(options.simulatorPort, 'WECHAT_SIMULATOR_PORT', DEFAULT_SIMULATOR_PORT);
  progress(t('stack.startingSimulator', { port: simulatorPort, dataDir }));
  const simulator = await listening(t('stack.simulator'), 'WECHAT_SIMULATOR_PORT', simulatorPort, () => startWechatSimulator({
    port: simulatorPort,
    dataDir,
    credentials,
    timeScale: options.timeScale,
    refundDelaySeconds: options.refundDelaySeconds,
    seed: options.seed,
  }));
  // The local staff member may refund (the console's Refund action calls refundOrder as them).
  const functionEnv = withLocalStaff(functionEnvFor(credentials, simulator.url, options.functionEnv));
  const functions = Object.fromEntries(
    listFunctionNames().map((name) => [name, { env: functionEnv, timeoutMs: options.functionTimeoutMs }]),
  );
  let cloudbase: { url: string; adminUrl: string; envId: string; close(): Promise<void> };
  let cloudbaseProcess: CloudbaseChild | undefined;
  const cloudbaseOptions = {
    port: portFrom(options.cloudbasePort, 'CLOUDBASE_EMULATOR_PORT', DEFAULT_CLOUDBASE_PORT),
    dataDir,
    envId: credentials.envId,
    functionsDir: FUNCTIONS_DIR,
    functions,
    routes: { ...options.routes, [NOTIFY_PATH]: 'payNotify' },
    timers: options.timers ?? false,
    // The mini-program platform: payments from the simulator's ledger, pushes routed to tradeEvents.
    platform: { simulatorUrl: simulator.url, pushFunction: 'tradeEvents', appid: credentials.appid },
    // The indexes a deployment creates (npm run deploy:cloud): the timer's scans cost what is pending.
    indexes: indexFields(),
    log: options.log,
  };
  progress(t('stack.startingCloudbase', { port: cloudbaseOptions.port }));
  try {
    cloudbase = await listening(t('stack.cloudbase'), 'CLOUDBASE_EMULATOR_PORT', cloudbaseOptions.port, async () => {
      if (options.cloudbaseProcess) return (cloudbaseProcess = await startCloudbaseChild(cloudbaseOptions));
      return startCloudbaseEmulator(cloudbaseOptions);
    });
  } catch (err) {
    await simulator.close();
    throw err;
  }
  // The simulator delivers https://notify… to the emulator's HTTP access, validation unchanged.
  simulator.state.notifyRedirects[LOCAL_NOTIFY_ORIGIN] = cloudbase.url;
  const admin = adminWire(cloudbase.adminUrl, cloudbase.envId);
  const seeded = await applySeed(admin, seedData);
  progress(t('stack.seeded', { source: seedData.source, what: describeSeeded(seeded) }));
  let consoleServer: ConsoleServer | undefined;
  if (options.console !== undefined && options.console !== false) {
    const consolePort = typeof options.console === 'number' ? options.console : portFrom(undefined, 'CONSOLE_PORT', DEFAULT_CONSOLE_PORT);
    progress(t('stack.startingConsole', { port: consolePort }));
    try {
      consoleServer = await listening(t('stack.console'), 'CONSOLE_PORT', consolePort, () => startConsole({
        port: consolePort,
        cloudbaseUrl: cloudbase.url,
        adminUrl: cloudbase.adminUrl,
        envId: cloudbase.envId,
        simulatorUrl: simulator.url,
        apiV3Key: credentials.apiV3Key,
        info: { appid: credentials.appid, mchid: credentials.mchid, staffOpenid: LOCAL_STAFF_OPENID },
      }));
    } catch (err) {
      await cloudbase.close();
      await simulator.close();
      throw err;
    }
  }
  return {
    dataDir,
    credentials,
    envId: cloudbase.envId,
    cloudbaseUrl: cloudbase.url,
    simulatorUrl: simulator.url,
    admin,
    functionEnv,
    simulator,
    cloudbaseProcess,
    consoleUrl: consoleServer?.url,
    staffOpenid: LOCAL_STAFF_OPENID,
    async close() {
      await consoleServer?.close();
      await cloudbase.close();
      await simulator.close();
    },
  };
}
