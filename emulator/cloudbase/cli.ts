/**
 * Run the CloudBase emulator: `npx tsx emulator/cloudbase/cli.ts [--timers] [--route /path=fn …]`
 *
 * Env: CLOUDBASE_EMULATOR_PORT (default DEFAULT_PORTS.cloudbase, emulator/shared/ports.ts), LOCAL_DATA_DIR (default .local),
 * CLOUDBASE_ENV_ID (default: envId of <LOCAL_DATA_DIR>/credentials.json, else "local-env"),
 * CLOUDBASE_FUNCTIONS_DIR (default <repo>/cloudfunctions).
 * Per-function settings (env vars, secrets, timeouts) and routes come from the git-ignored
 * `<LOCAL_DATA_DIR>/cloudbase/config.json`: {"functions": {"payNotify": {"env": {…}, "timeoutMs": 5000}},
 * "routes": {"/pay/notify": "payNotify"}, "timers": false, "indexes": {"orders": [["status", "lastCheckedAt"]]}}.
 * On start it prints the URL and writes `<LOCAL_DATA_DIR>/cloudbase/sdk-env.json`: the env vars
 * that point any wx-server-sdk process at this emulator.
 */
import { DEFAULT_PORTS } from '../shared/ports';
import fs from 'node:fs';
import path from 'node:path';
import { startCloudbaseEmulator, type FunctionSettings } from './index';

interface FileConfig {
  functions?: Record<string, FunctionSettings>;
  routes?: Record<string, string>;
  timers?: boolean;
  /** The mini-program platform: {simulatorUrl, pushFunction?, appid} (the local stack writes it). */
  platform?: { simulatorUrl?: string; pushFunction?: string; appid: string };
  /** The database's declared indexes: collection → each index's fields (the local stack writes them). */
  indexes?: Record<string, string[][]>;
}

function readJson<T>(file: string): T | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.LOCAL_DATA_DIR || '.local');
  const port = Number(process.env.CLOUDBASE_EMULATOR_PORT ?? DEFAULT_PORTS.cloudbase);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`CLOUDBASE_EMULATOR_PORT must be a port number, got ${process.env.CLOUDBASE_EMULATOR_PORT}`);
  const cfg = readJson<FileConfig>(path.join(dataDir, 'cloudbase', 'config.json')) ?? {};
  const creds = readJson<{ envId?: string }>(path.join(dataDir, 'credentials.json'));
  const routes: Record<string, string> = { '/pay/notify': 'payNotify', ...cfg.routes };
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--route') {
      const [p, fn] = (args[++i] ?? '').split('=');
      if (!p?.startsWith('/') || !fn) throw new Error('--route expects /path=functionName');
      routes[p] = fn;
    } else if (args[i] !== '--timers') throw new Error(`unknown argument ${args[i]} (known: --timers, --route /path=fn)`);
  }
  const emu = await startCloudbaseEmulator({
    port,
    dataDir,
    envId: process.env.CLOUDBASE_ENV_ID || creds?.envId || 'local-env',
    functionsDir: process.env.CLOUDBASE_FUNCTIONS_DIR,
    functions: cfg.functions,
    routes,
    timers: args.includes('--timers') || cfg.timers === true,
    ...(cfg.platform ? { platform: cfg.platform } : {}),
    indexes: cfg.indexes,
  });
  const envFile = path.join(dataDir, 'cloudbase', 'sdk-env.json');
  fs.writeFileSync(envFile, `${JSON.stringify(emu.sdkEnv(), null, 2)}\n`);
  process.stdout.write(`CloudBase emulator listening on ${emu.url} (env ${emu.envId}, data ${dataDir})\n`);
  process.stdout.write(`wx-server-sdk env written to ${envFile}\n`);
  const stop = (): void => {
    emu.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: Error) => {
  process.stderr.write(`cloudbase emulator: ${e.message}\n`);
  process.exit(1);
});
