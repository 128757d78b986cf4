// The one seam between the build-time switches and the code: everything reads `config`,
// nothing else touches the __MP_*__ constants.

export interface LocalConfig {
  functionsUrl: string;
  simulatorUrl: string;
  openid: string;
}

export const config = {
  cloudEnv: __MP_CLOUD_ENV__,
  pollDelaysMs: __MP_POLL_DELAYS__,
};

/** The local endpoints, or null in a production build (where this folds to `null`). */
export function localConfig(): LocalConfig | null {
  if (!__MP_LOCAL__) return null;
  return { functionsUrl: __MP_FUNCTIONS_URL__, simulatorUrl: __MP_SIMULATOR_URL__, openid: __MP_DEV_OPENID__ };
}
