/**
 * The per-invocation environment and `context` argument a function receives, as the
 * platform sets them: identity in WX_* variables listed in WX_CONTEXT_KEYS (read by
 * cloud.getWXContext()), the env id in TCB_ENV/SCF_NAMESPACE, the call chain in TCB_SOURCE, and a
 * per-invocation WX_API_TOKEN that the SDK forwards as `wxCloudApiToken` on every request — which
 * is how the emulator knows who makes a nested cloud.callFunction.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface Identity {
  openid?: string;
  appid?: string;
  unionid?: string;
  clientIp?: string;
  /** TCB_SOURCE: wx_client, wx_trigger, "wx_client,scf" for nested calls, "" for HTTP access */
  source: string;
}

export interface Invocation {
  requestId: string;
  apiToken: string;
  env: Record<string, string>;
  context: Record<string, unknown>;
}

export const REGION = 'ap-shanghai';

export function buildInvocation(o: { functionName: string; envId: string; identity: Identity; timeoutMs: number; timer?: boolean }): Invocation {
  const requestId = randomUUID();
  const apiToken = randomBytes(24).toString('base64url');
  const id = o.identity;
  const wx: Record<string, string> = {};
  if (id.openid) wx.WX_OPENID = id.openid;
  if (id.appid) wx.WX_APPID = id.appid;
  if (id.unionid) wx.WX_UNIONID = id.unionid;
  if (id.clientIp) wx.WX_CLIENTIP = id.clientIp;
  wx.WX_API_TOKEN = apiToken;
  if (o.timer) wx.WX_TRIGGER_API_TOKEN_V0 = apiToken;
  const env: Record<string, string> = {
    ...wx,
    WX_CONTEXT_KEYS: Object.keys(wx).join(','),
    TCB_ENV: o.envId,
    SCF_NAMESPACE: o.envId,
    TCB_SOURCE: id.source,
    TCB_SEQID: requestId,
    TCB_CONTEXT_KEYS: 'TCB_ENV,TCB_SEQID,TCB_SOURCE',
    ...(o.timer ? { TRIGGER_SRC: 'timer' } : {}),
  };
  const context = {
    callbackWaitsForEmptyEventLoop: false,
    memory_limit_in_mb: 256,
    time_limit_in_ms: o.timeoutMs,
    request_id: requestId,
    function_name: o.functionName,
    function_version: '$LATEST',
    namespace: o.envId,
    tencentcloud_region: REGION,
    tencentcloud_appid: '',
    tencentcloud_uin: '',
    environ: Object.entries(env).map(([k, v]) => `${k}=${v}`).join(';'),
    environment: JSON.stringify(env),
  };
  return { requestId, apiToken, env, context };
}

/** Variables that point an unmodified wx-server-sdk at the emulator (no metadata probes, dummy keys). */
export function sdkEnvFor(adminUrl: string, envId: string): Record<string, string> {
  return {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: adminUrl }),
    // The SDK signs every request and crashes without keys; the emulator never checks them.
    TENCENTCLOUD_SECRETID: 'emulator-secret-id',
    TENCENTCLOUD_SECRETKEY: 'emulator-secret-key',
    TENCENTCLOUD_SESSIONTOKEN: '',
    // "Running in SCF": stops the SDK probing the cloud metadata host on every request.
    TENCENTCLOUD_RUNENV: 'SCF',
    TENCENTCLOUD_REGION: REGION,
    SCF_NAMESPACE: envId,
    TCB_ENV: envId,
    TCB_CONTEXT_KEYS: 'TCB_ENV',
  };
}
