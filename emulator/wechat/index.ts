// Public entry of the WeChat Pay simulator: createState, createApp, startWechatSimulator.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadOrCreateCredentials, type DevCredentials } from '../credentials';
import type { Emulator } from '../shared/emulator';
import { DEFAULT_PORTS } from '../shared/ports';
import { createApp } from './app';
import { openStore, type SimStore, type StoreOptions } from './store';
import { createState, type SimState, type StateOptions } from './state';

export { createApp, ROUTES } from './app';
export { createState, type SimState, type StateOptions } from './state';
export { stateLog, SimStateCorrupt } from './persist';
export { loadState, type SimStore, type StoreStats } from './store';
export { RETRY_SCHEDULE_SECONDS } from './notify';
export { PREPAY_TTL_MS } from './transactions';
export { LOGIN_CODE_TTL_MS } from './login';
export type { Faults } from './faults';
export type { Attempt, Delivery, Order, Refund } from './types';

export interface WechatSimulatorOptions extends Omit<StateOptions, 'credentials'>, StoreOptions {
  /** 0 = any free port. Default DEFAULT_PORTS.wechat. */
  port?: number;
  host?: string;
  /** Where credentials.json lives when `credentials` is not given (default .local). When given, the
   *  state is also kept durably in `<dataDir>/wechat/state.log` and restored on start (store.ts). */
  dataDir?: string;
  credentials?: DevCredentials;
}

export interface WechatSimulator extends Emulator {
  readonly name: 'wechat';
  port: number;
  state: SimState;
  credentials: DevCredentials;
  /** The durable store (undefined without a data dir). */
  store?: SimStore;
  close(): Promise<void>;
}

export async function startWechatSimulator(opts: WechatSimulatorOptions = {}): Promise<WechatSimulator> {
  const { port = DEFAULT_PORTS.wechat, host = '127.0.0.1', dataDir = '.local', credentials: given, journalLimitBytes, ...stateOpts } = opts;
  const credentials = given ?? loadOrCreateCredentials(dataDir);
  const state = createState({ ...stateOpts, credentials });
  let store: SimStore | undefined;
  if (opts.dataDir !== undefined) {
    store = openStore(state, opts.dataDir, { journalLimitBytes });
    if (store.repaired) console.warn(store.repaired);
    state.persist = store.persist;
    state.durable = store.durable;
  }
  const server = createServer(createApp(state));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (e) {
    // e.g. the port is taken: stop the restored schedule and release the state file.
    state.close();
    await store?.close();
    throw e;
  }
  const actual = (server.address() as AddressInfo).port;
  return {
    name: 'wechat',
    url: `http://${host}:${actual}`,
    port: actual,
    state,
    credentials,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        state.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => store?.close()),
  };
}
