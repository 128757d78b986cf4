/**
 * The emulated cloud-call APIs: a table from the SDK's API name to a handler. Anything not in the
 * table answers "not emulated" (errcode -604100, the service's "API not found"), so a function that
 * calls an API the emulator does not know fails loudly instead of getting a made-up answer.
 * Add an API: `table.register('wxa.sec.order.getOrder', handler)` (see platform/ for an example).
 */
import type { Identity } from '../functions/invocation';

/** One cloud call as the emulator received it. */
export interface CloudCall {
  apiName: string;
  /** openapi: each top-level field JSON-decoded (the SDK sends one protobuf pair per field, snake_case);
   *  cloudPay: the JSON request body. */
  data: Record<string, unknown>;
  /** appid from the message (empty unless the caller passed one) or the calling invocation's. */
  appid: string;
  /** The invocation that made the call (from its WX_API_TOKEN), if it runs in this emulator. */
  caller?: Identity & { functionName: string };
}

/** The WeChat JSON answer; `errcode` 0 is added when absent. */
export type WxAnswer = Record<string, unknown>;
export type CloudCallHandler = (call: CloudCall) => WxAnswer | Promise<WxAnswer>;

/** Thrown by a handler to answer `{errcode, errmsg}` — a WeChat-level refusal. */
export class WxApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`${errcode} ${errmsg}`);
    this.name = 'WxApiError';
  }
}

export const OPENAPI_NOT_FOUND = -604100;
export const OPENAPI_NO_PERMISSION = -604101;

export const notEmulated = (displayName: string): string => `not emulated: ${displayName} (see emulator/cloudbase/README.md)`;

export class CloudCallTable {
  private readonly handlers = new Map<string, CloudCallHandler>();

  register(apiName: string, handler: CloudCallHandler): this {
    if (this.handlers.has(apiName)) throw new Error(`cloud call ${apiName} is already registered`);
    this.handlers.set(apiName, handler);
    return this;
  }

  get(apiName: string): CloudCallHandler | undefined {
    return this.handlers.get(apiName);
  }

  names(): string[] {
    return [...this.handlers.keys()].sort();
  }
}

/** The two tables the multipart admin actions dispatch to. */
export interface CloudCallTables {
  /** action=wx.openApi (`cloud.openapi.*`), by dotted API name */
  openApi: CloudCallTable;
  /** action=wx.wxPayApi (`cloud.cloudPay.*`), by method name */
  payApi: CloudCallTable;
}

export const createCloudCallTables = (): CloudCallTables => ({ openApi: new CloudCallTable(), payApi: new CloudCallTable() });
