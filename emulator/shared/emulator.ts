/**
 * The one shape every emulator's start function returns (firebase's EmulatorInstance): a name,
 * where it listens, and how to stop it. Each emulator adds what only it has (the simulator's
 * state and credentials, the CloudBase emulator's admin URL and SDK env).
 *
 * Control namespace, one rule for all: what an emulator offers that the real service does not
 * (reset, faults, clock, triggers, inspection) lives under `/__<namespace>/`, a path no provider
 * uses, one namespace per emulator (CONTROL_PREFIX). Everything outside it is the provider's own
 * wire and behaves like the provider. The console is a web app, not a stand-in: its API is /api/*.
 */
export type EmulatorName = 'cloudbase' | 'wechat' | 'console';

export interface Emulator {
  readonly name: EmulatorName;
  /** http://127.0.0.1:<port>, no trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

export const CONTROL_PREFIX = {
  /** The WeChat Pay simulator: /__sim/pay, /__sim/faults, /__sim/clock … */
  wechat: '/__sim/',
  /** The CloudBase emulator: /__emulator/faults, /__emulator/trigger/{name} … */
  cloudbase: '/__emulator/',
} as const;
