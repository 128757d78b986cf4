// Constants replaced at build time by scripts/build/miniprogram.ts (esbuild `define`).
// They are the only switches the mini-program has; nothing is edited in code to change them.

/** true only in a local-mode build (MP_TARGET=local); production builds fold every local branch away. */
declare const __MP_LOCAL__: boolean;
/** CloudBase environment id passed to wx.cloud.init. */
declare const __MP_CLOUD_ENV__: string;
/** Local mode: CloudBase emulator base URL ("" in production builds). */
declare const __MP_FUNCTIONS_URL__: string;
/** Local mode: WeChat Pay simulator base URL ("" in production builds). */
declare const __MP_SIMULATOR_URL__: string;
/** Local mode: the openid the emulator runs functions as ("" in production builds). */
declare const __MP_DEV_OPENID__: string;
/** Waits (ms) between queryOrder polls after the payment sheet reports success. */
declare const __MP_POLL_DELAYS__: number[];
/** true only with MP_TRANSPORT=http: functions behind SCF function URLs, session login over wx.request. */
declare const __MP_HTTP__: boolean;
/** http transport: base URL; a function is `${base}/${name}` unless listed in __MP_FUNCTION_URLS__ ("" otherwise). */
declare const __MP_FUNCTIONS_BASE_URL__: string;
/** http transport: per-function URLs ({} otherwise). */
declare const __MP_FUNCTION_URLS__: Record<string, string>;
/** Language of the shop's texts: "zh-CN" (default) or "en" (MP_LANG=en). */
declare const __MP_LANG__: 'zh-CN' | 'en';
