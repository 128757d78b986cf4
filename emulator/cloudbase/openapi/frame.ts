/**
 * `POST /admin` with a multipart body: the cloud-call actions of @cloudbase/node-sdk.
 *   action=wx.openApi   apiName, requestData = protobuf CommApiData → reply protobuf CommOpenApiResp
 *                       carrying the WeChat JSON answer (content type application/json)
 *   action=wx.wxPayApi  apiName, apiOptions = protobuf ApiOptions, requestData = JSON → reply JSON
 * The reply's content type matters: node-sdk parses a body as a TCB error only when it is
 * exactly `application/json; charset=utf-8`; anything else reaches wx-server-sdk as a Buffer.
 */
import { randomUUID } from 'node:crypto';
import { TCB_CODES, TcbError, invalidParam } from '../errors';
import type { FunctionHost } from '../functions/host';
import { parseMultipart, textPart, type Parts } from './multipart';
import { openapiPermissions, permissionMessage } from './permissions';
import { decodeApiOptions, decodeCommApiData, encodeCommOpenApiResp } from './protobuf';
import { OPENAPI_NO_PERMISSION, OPENAPI_NOT_FOUND, WxApiError, notEmulated, type CloudCall, type CloudCallHandler, type CloudCallTables, type WxAnswer } from './table';

export interface CloudCallContext {
  envId: string;
  host: FunctionHost;
  functionsDir: string;
  cloudCalls: CloudCallTables;
}

export interface RawReply {
  contentType: string;
  body: Buffer;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const tcbError = (code: string, message: string): RawReply => ({ contentType: JSON_TYPE, body: Buffer.from(JSON.stringify({ requestId: randomUUID(), code, message })) });

async function answer(handler: CloudCallHandler, call: CloudCall): Promise<WxAnswer> {
  try {
    const out = await handler(call);
    return { errcode: 0, errmsg: 'ok', ...out };
  } catch (e) {
    if (e instanceof WxApiError) return { errcode: e.errcode, errmsg: e.errmsg };
    throw e;
  }
}

function callerOf(ctx: CloudCallContext, parts: Parts): CloudCall['caller'] {
  const token = textPart(parts, 'wxCloudApiToken');
  const identity = ctx.host.callerOf(token);
  const functionName = ctx.host.functionOf(token);
  return identity && functionName ? { ...identity, functionName } : undefined;
}

function jsonPairs(pairs: { key: string; value: Buffer }[], apiName: string): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const { key, value } of pairs) {
    try {
      data[key] = JSON.parse(value.toString('utf8'));
    } catch {
      throw invalidParam(`openapi ${apiName}: field ${key} is not JSON`);
    }
  }
  return data;
}

async function openApi(ctx: CloudCallContext, parts: Parts, apiName: string): Promise<RawReply> {
  const requestData = parts.get('requestData');
  if (!requestData) throw invalidParam('wx.openApi needs a requestData part');
  const msg = decodeCommApiData(requestData);
  if (msg.apiType !== 0) throw invalidParam(`wx.openApi apiType ${msg.apiType} is not emulated (only 0, open API)`);
  const caller = callerOf(ctx, parts);
  const call: CloudCall = { apiName, data: jsonPairs(msg.pairs, apiName), appid: msg.appid || caller?.appid || '', caller };
  const handler = ctx.cloudCalls.openApi.get(apiName);
  let wx: WxAnswer;
  if (caller && !openapiPermissions(ctx.functionsDir, caller.functionName).includes(apiName)) wx = { errcode: OPENAPI_NO_PERMISSION, errmsg: permissionMessage(caller.functionName, apiName) };
  else if (!handler) wx = { errcode: OPENAPI_NOT_FOUND, errmsg: notEmulated(apiName) };
  else wx = await answer(handler, call);
  return { contentType: 'application/octet-stream', body: encodeCommOpenApiResp({ respData: Buffer.from(JSON.stringify(wx)), contentType: 'application/json', httpCode: 200 }) };
}

async function payApi(ctx: CloudCallContext, parts: Parts, apiName: string): Promise<RawReply> {
  const handler = ctx.cloudCalls.payApi.get(apiName);
  if (!handler) return tcbError(TCB_CODES.INVALID_ACTION, notEmulated(`cloudPay.${apiName}`));
  let data: unknown;
  try {
    data = JSON.parse(parts.get('requestData')?.toString('utf8') || '{}');
  } catch {
    throw invalidParam(`cloudPay.${apiName}: requestData is not JSON`);
  }
  const caller = callerOf(ctx, parts);
  const options = parts.get('apiOptions');
  const appid = (options && decodeApiOptions(options).appid) || caller?.appid || '';
  const out = await answer(handler, { apiName, data: data as Record<string, unknown>, appid, caller });
  return { contentType: 'application/octet-stream', body: Buffer.from(JSON.stringify(out)) };
}

export async function handleMultipartAdmin(ctx: CloudCallContext, body: Buffer, boundary: string, queryEnv: string | null): Promise<RawReply> {
  try {
    const parts = parseMultipart(body, boundary);
    const env = textPart(parts, 'envName') || queryEnv || ctx.envId;
    if (env !== ctx.envId) throw invalidParam(`env ${env} is not served by this emulator (it serves ${ctx.envId})`);
    const action = textPart(parts, 'action');
    const apiName = textPart(parts, 'apiName');
    if (!apiName) throw invalidParam(`${action ?? 'multipart request'} needs an apiName part`);
    if (action === 'wx.openApi') return await openApi(ctx, parts, apiName);
    if (action === 'wx.wxPayApi') return await payApi(ctx, parts, apiName);
    return tcbError(TCB_CODES.INVALID_ACTION, notEmulated(`action ${String(action)}`));
  } catch (e) {
    if (e instanceof TcbError) return tcbError(e.code, e.message);
    // SYS_ERR is node-sdk's generic code (wx-server-sdk: errCode -501001).
    return tcbError('SYS_ERR', `emulator error: ${(e as Error).message}`);
  }
}
