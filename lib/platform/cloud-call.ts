/**
 * The platform through WeChat Cloud's cloud call (`cloud.openapi.wxa.sec.order.*`): no access_token,
 * but the function's config.json must list each API in permissions.openapi (test/functions/
 * permissions.test.ts reads the calls below from the bundle — keep them literal property chains).
 * convertCase is off, so what we build is what WeChat gets (snake_case). The SDK throws
 * {errCode, errMsg} for a non-zero errcode; we turn that back into an answer so both transports look alike.
 */
import type { MiniPlatform, PlatformAnswer, PlatformApi } from './apis';

type Call = (body: unknown) => Promise<Record<string, unknown>>;
// wx-server-sdk's openapi is an untyped proxy: any property path is an API name.
type OpenApi = { wxa: { sec: { order: Record<string, Call> } } };
type Cloud = { openapi: (options: { convertCase: false }) => OpenApi };

const CALLS: Record<Exclude<PlatformApi, 'isTradeManaged'>, (cloud: Cloud, body: unknown) => Promise<Record<string, unknown>>> = {
  uploadShippingInfo: (cloud, body) => cloud.openapi({ convertCase: false }).wxa.sec.order.uploadShippingInfo(body),
  getOrder: (cloud, body) => cloud.openapi({ convertCase: false }).wxa.sec.order.getOrder(body),
  notifyConfirmReceive: (cloud, body) => cloud.openapi({ convertCase: false }).wxa.sec.order.notifyConfirmReceive(body),
};

export function cloudCallPlatform(cloud: unknown): MiniPlatform {
  return {
    async call(api, body) {
      if (api === 'isTradeManaged') throw new Error('isTradeManaged is not called by the functions (no permission is granted for it)');
      try {
        const { errCode: _code, errMsg: _msg, ...fields } = await CALLS[api](cloud as Cloud, body);
        return { ...fields, errcode: 0, errmsg: 'ok' } as PlatformAnswer;
      } catch (e) {
        const err = e as { errCode?: unknown; errMsg?: unknown };
        if (typeof err.errCode !== 'number') throw e;
        // "openapi.<name>:fail <errmsg>" → WeChat's errmsg
        return { errcode: err.errCode, errmsg: String(err.errMsg ?? '').replace(/^openapi\.[\w.]+:fail /, '') };
      }
    },
  };
}
