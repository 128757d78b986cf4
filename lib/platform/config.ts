/**
 * Which way the functions reach the mini-program platform — configuration, not a guess about where
 * they run:
 *   MINI_PLATFORM_TRANSPORT=cloud (default)  cloud call from a WeChat Cloud function
 *   MINI_PLATFORM_TRANSPORT=token            access token (cgi-bin/stable_token) with WX_APPID +
 *                                            WX_APP_SECRET, base URL WX_API_BASE_URL (SCF, elsewhere)
 */
import { baseUrlFrom, ConfigError, DEFAULT_WX_API_BASE_URL } from '../config';

export type PlatformConfig = { transport: 'cloud' } | { transport: 'token'; appid: string; appSecret: string; baseUrl: string };

export function loadPlatformConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const transport = (env.MINI_PLATFORM_TRANSPORT ?? '').trim() || 'cloud';
  if (transport === 'cloud') return { transport };
  if (transport !== 'token') throw new ConfigError('MINI_PLATFORM_TRANSPORT', 'must be "cloud" (WeChat Cloud cloud call) or "token" (access token with WX_APP_SECRET)');
  const appid = (env.WX_APPID ?? '').trim();
  if (!/^wx[0-9A-Za-z]{8,32}$/.test(appid)) throw new ConfigError('WX_APPID', 'must be the mini-program AppID (needed by MINI_PLATFORM_TRANSPORT=token)');
  const appSecret = (env.WX_APP_SECRET ?? '').trim();
  if (!appSecret) throw new ConfigError('WX_APP_SECRET', 'is required with MINI_PLATFORM_TRANSPORT=token (the mini-program AppSecret, for cgi-bin/stable_token)');
  return { transport, appid, appSecret, baseUrl: baseUrlFrom(env, 'WX_API_BASE_URL', DEFAULT_WX_API_BASE_URL) };
}
