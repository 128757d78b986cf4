/**
 * CloudBase (WeChat Cloud) emulator: the unmodified wx-server-sdk talks to it through
 * TCB_CONTEXT_CNFG (see sdkEnvFor). Database, function host, HTTP access and timers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { DbContext } from './database';
import { Faults } from './faults';
import { FunctionLogs } from './functions/logs';
import { FunctionHost, type FunctionSettings } from './functions/host';
import { sdkEnvFor } from './functions/invocation';
import { listTimers, startSchedule } from './functions/timers';
import { createCloudCallTables, type CloudCallTables } from './openapi/table';
import { MiniPlatform } from './platform';
import { PlatformState, simulatorPayments, type PaymentLookup } from './platform/state';
import type { Emulator } from '../shared/emulator';
import { createApp, type AppState } from './server';
import { LIMITS } from './limits';
import type { StorageContext } from './storage/actions';
import { FileStore } from './storage/files';
import { EnvStore } from './store';
import { TxnManager } from './transactions';

export { sdkEnvFor } from './functions/invocation';
export { createApp } from './server';
export type { FunctionSettings } from './functions/host';

export interface CloudbaseEmulatorOptions {
  port?: number;
  host?: string;
  /** Root of local data; the database lives in `<dataDir>/cloudbase/<envId>.log`. Default `.local`. */
  dataDir?: string;
  envId?: string;
  functionsDir?: string;
  functions?: Record<string, FunctionSettings>;
  /** HTTP access: path → function name, e.g. `{ '/pay/notify': 'payNotify' }` */
  routes?: Record<string, string>;
  /** Fire config.json timers on the wall clock (tests use POST /__emulator/trigger/{name}). */
  timers?: boolean;
  maxInstancesPerFunction?: number;
  /** Cloud storage upload limit; default LIMITS.storageFile (5 GB). Tests lower it. */
  maxFileBytes?: number;
  /** The mini-program platform (发货信息管理): shipping APIs, confirm receipt, settlement pushes. */
  platform?: {
    /** Where paid orders come from: a lookup, or the WeChat Pay simulator's URL (its /__sim/transactions). */
    payments?: PaymentLookup;
    simulatorUrl?: string;
    /** Function the settlement pushes are routed to, e.g. 'tradeEvents'. */
    pushFunction?: string;
    appid: string;
  };
  /** Where function output and timer failures go. Default: process.stderr. */
  log?: (line: string) => void;
  /**
   * The database's declared indexes, as a deployment creates them: collection → each index's fields,
   * e.g. `{ orders: [['status', 'lastCheckedAt']] }`. Equality / `in` on an index's first field is
   * answered from a hash index instead of a scan (field-index.ts). Default: none (`_id` only).
   */
  indexes?: Readonly<Record<string, ReadonlyArray<readonly string[]>>>;
}

export interface CloudbaseEmulator extends Emulator {
  readonly name: 'cloudbase';
  adminUrl: string;
  envId: string;
  sdkEnv(): Record<string, string>;
  /** Timers on the wall-clock schedule: empty unless started with timers: true (lets a test or a
   *  script see what will fire without waiting for it). */
  readonly timers: ReadonlyArray<{ functionName: string; triggerName: string }>;
  /** The emulated cloud calls: register a handler to emulate one more API (openapi/table.ts). */
  readonly cloudCalls: CloudCallTables;
  /** Present when started with the platform option. */
  readonly platform?: MiniPlatform;
  close(): Promise<void>;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const ENV_ID_RE = /^[A-Za-z0-9_-]{1,40}$/;

export async function startCloudbaseEmulator(opts: CloudbaseEmulatorOptions = {}): Promise<CloudbaseEmulator> {
  const envId = opts.envId ?? 'local-env';
  if (!ENV_ID_RE.test(envId)) throw new Error(`envId "${envId}" must be 1-40 letters, digits, "-" or "_"`);
  const hostName = opts.host ?? '127.0.0.1';
  const functionsDir = path.resolve(opts.functionsDir ?? path.join(REPO_ROOT, 'cloudfunctions'));
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const store = EnvStore.open(path.resolve(opts.dataDir ?? '.local'), envId, log, { indexes: opts.indexes });
  const faults = new Faults();
  const db: DbContext = { store, txns: new TxnManager(store), faults, now: () => Date.now() };
  const logs = new FunctionLogs(opts.dataDir !== undefined ? path.join(path.resolve(opts.dataDir), 'logs') : undefined);
  const host = new FunctionHost({ functionsDir, envId, functions: opts.functions ?? {}, maxInstancesPerFunction: opts.maxInstancesPerFunction ?? 10, log, logs });
  const timers = opts.timers ? listTimers(functionsDir) : [];
  const cloudCalls = createCloudCallTables();
  let baseUrl = '';
  const storage: StorageContext = { files: new FileStore(path.resolve(opts.dataDir ?? '.local'), envId), baseUrl: () => baseUrl, now: () => Date.now(), maxFileBytes: opts.maxFileBytes ?? LIMITS.storageFile.value };
  let platform: MiniPlatform | undefined;
  if (opts.platform) {
    const payments = opts.platform.payments ?? (opts.platform.simulatorUrl ? simulatorPayments(opts.platform.simulatorUrl) : undefined);
    if (!payments) throw new Error('platform needs payments (a lookup) or simulatorUrl');
    platform = new MiniPlatform({ state: PlatformState.open(path.resolve(opts.dataDir ?? '.local'), envId), payments, host, pushFunction: opts.platform.pushFunction, appid: opts.platform.appid, log });
    platform.register(cloudCalls);
  }
  const state: AppState = { envId, db, host, faults, functionsDir, routes: opts.routes ?? {}, cloudCalls, storage, platform, logs };

  const server = http.createServer(createApp(state));
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, hostName, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${hostName}:${port}`;
  const adminUrl = `${url}/admin`;
  baseUrl = url;
  host.setAdminUrl(adminUrl);
  const stopTimers = timers.length ? startSchedule(host, timers, log) : () => undefined;

  return {
    name: 'cloudbase',
    url,
    adminUrl,
    envId,
    sdkEnv: () => sdkEnvFor(adminUrl, envId),
    timers: timers.map((t) => ({ functionName: t.functionName, triggerName: t.triggerName })),
    cloudCalls,
    platform,
    async close() {
      stopTimers();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await host.close();
      await logs.close();
      await store.close();
    },
  };
}
