// The one seam between the build-time switches and the code. Values are read through `config`;
// the on/off switch `__MP_LOCAL__` itself is tested right at each branch (`if (__MP_LOCAL__)`),
// because esbuild only folds a dead branch when it sees the constant there, and a folded branch is
// what keeps every local URL and the simulator code out of production builds.

export interface LocalConfig {
  functionsUrl: string;
  simulatorUrl: string;
  openid: string;
}

export const config = {
  cloudEnv: __MP_CLOUD_ENV__,
  pollDelaysMs: __MP_POLL_DELAYS__,
};

/** The local endpoints. Call it only inside `if (__MP_LOCAL__)`; production defines them as "". */
export function localConfig(): LocalConfig {
  return { functionsUrl: __MP_FUNCTIONS_URL__, simulatorUrl: __MP_SIMULATOR_URL__, openid: __MP_DEV_OPENID__ };
}

export interface HttpTransportConfig {
  /** `${functionsBaseUrl}/${name}` unless the function has its own URL below. */
  functionsBaseUrl: string;
  functionUrls: Record<string, string>;
}

/** The SCF function URLs. Call it only inside `if (__MP_HTTP__)`; other builds define them empty. */
export function httpConfig(): HttpTransportConfig {
  return { functionsBaseUrl: __MP_FUNCTIONS_BASE_URL__, functionUrls: __MP_FUNCTION_URLS__ };
}
