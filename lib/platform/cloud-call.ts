/**
 * The platform through WeChat Cloud's cloud call (`cloud.openapi.wxa.sec.order.*`): no access_token,
 * but the function's config.json must list each API in permissions.openapi. convertCase is off, so
 * what we build is what WeChat gets (snake_case). The SDK throws {errCode, errMsg} for a non-zero
 * errcode; we turn that back into an answer so both transports look the same.
 */
import { PLATFORM_APIS, type MiniPlatform, type PlatformAnswer } from './apis';

type OpenApi = (options: { convertCase: false }) => Record<string, Record<string, Record<string, Record<string, (body: unknown) => Promise<Record<string, unknown>>>>>>;

export function cloudCallPlatform(cloud: { openapi: unknown }): MiniPlatform {
  const openapi = (cloud.openapi as OpenApi)({ convertCase: false });
  return {
    async call(api, body) {
      const [a, b, c, d] = PLATFORM_APIS[api].cloud.split('.');
      try {
        const res = await openapi[a][b][c][d](body);
        const { errCode: _code, errMsg: _msg, ...fields } = res;
        return { ...fields, errcode: 0, errmsg: 'ok' } as PlatformAnswer;
      } catch (e) {
        const err = e as { errCode?: unknown; errMsg?: unknown };
        if (typeof err.errCode !== 'number') throw e;
        // "openapi.<name>:fail <errmsg>" → WeChat's errmsg
        const errmsg = String(err.errMsg ?? '').replace(/^openapi\.[\w.]+:fail /, '');
        return { errcode: err.errCode, errmsg };
      }
    },
  };
}
