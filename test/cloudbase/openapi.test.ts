/**
 * The cloud-call frame: wx-server-sdk's real `cloud.openapi.*` / `cloud.cloudPay.*` wire (multipart +
 * protobuf) parsed by the emulator and routed through its handler table; the wire parsing is also
 * checked against messages built independently with protobufjs from the documented layout.
 */
import protobuf from 'protobufjs';
import { decodeCommApiData, encodeCommOpenApiResp } from '../../emulator/cloudbase/openapi/protobuf';
import { WxApiError, type CloudCall } from '../../emulator/cloudbase/openapi/table';
import { startHarness, writeFunction, type Harness } from './helpers';

// The layout from shared notes (shipping.md), written here independently of the SDK's generated code.
const schema = protobuf.parse(`
  syntax = "proto3";
  message KeyValuePair { string key = 1; bytes value = 2; }
  message OpenApiData { repeated KeyValuePair pairs = 1; }
  message CommApiData { int32 apiType = 1; OpenApiData openapiData = 2; string appid = 6; string unknownLater = 9; }
  message CommOpenApiResp { bytes respData = 1; string contentType = 2; int32 errorCode = 3; uint32 httpCode = 4; }
`).root;
const CommApiData = schema.lookupType('CommApiData');
const CommOpenApiResp = schema.lookupType('CommOpenApiResp');

let h: Harness;
const seen: CloudCall[] = [];

beforeAll(async () => {
  h = await startHarness({
    setup(dir) {
      const SDK = `const cloud = require('wx-server-sdk'); cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });`;
      const body = `exports.main = async () => { try { return await cloud.openapi.wxa.test.echo({ fromFunction: true }); } catch (e) { return { errCode: e.errCode, errMsg: e.errMsg }; } };`;
      writeFunction(dir, 'permitted', `${SDK}\n${body}`, { permissions: { openapi: ['wxa.test.echo'] } });
      writeFunction(dir, 'unpermitted', `${SDK}\n${body}`, { permissions: { openapi: ['wxa.sec.order.getOrder'] } });
    },
  });
  h.emu.cloudCalls.openApi.register('wxa.test.echo', (call) => {
    seen.push(call);
    return { echoed: call.data, caller_function: call.caller?.functionName ?? null, caller_openid: call.caller?.openid ?? null };
  });
  h.emu.cloudCalls.openApi.register('wxa.test.refuse', () => {
    throw new WxApiError(10060002, 'order already shipped');
  });
  h.emu.cloudCalls.payApi.register('queryOrder', (call) => ({ return_code: 'SUCCESS', out_trade_no: call.data.out_trade_no, appid_seen: call.appid }));
});
afterAll(() => h.stop());

test('cloud.openapi through the real SDK: fields arrive snake_case and JSON-decoded, the answer comes back camelCase', async () => {
  seen.length = 0;
  const res = await h.cloud.openapi.wxa.test.echo({ orderKey: { orderNumberType: 1, outTradeNo: 'T1' }, shippingList: [{ itemDesc: '杯子 ×2' }], uploadTime: '2026-12-01T10:00:00.000+08:00' });
  expect(seen[0].apiName).toBe('wxa.test.echo');
  expect(seen[0].data).toEqual({ order_key: { order_number_type: 1, out_trade_no: 'T1' }, shipping_list: [{ item_desc: '杯子 ×2' }], upload_time: '2026-12-01T10:00:00.000+08:00' });
  expect(res.errCode).toBe(0);
  expect(res.echoed).toEqual({ orderKey: { orderNumberType: 1, outTradeNo: 'T1' }, shippingList: [{ itemDesc: '杯子 ×2' }], uploadTime: '2026-12-01T10:00:00.000+08:00' });
  expect(res.callerFunction).toBeNull(); // the test process is not a hosted invocation
});

test('a WeChat refusal from a handler reaches the caller as errCode/errMsg, like the real service', async () => {
  await expect(h.cloud.openapi.wxa.test.refuse({})).rejects.toMatchObject({ errCode: 10060002, errMsg: 'openapi.wxa.test.refuse:fail order already shipped' });
});

test('an API that is not in the table answers "not emulated" with -604100 (API not found)', async () => {
  await expect(h.cloud.openapi.wxa.sec.order.setMsgJumpPath({ path: 'pages/x' })).rejects.toMatchObject({
    errCode: -604100,
    errMsg: 'openapi.wxa.sec.order.setMsgJumpPath:fail not emulated: wxa.sec.order.setMsgJumpPath (see emulator/cloudbase/README.md)',
  });
});

test('cloud.cloudPay: emulated names answer with the handler JSON; others say not emulated', async () => {
  const ok = await h.cloud.cloudPay.queryOrder({ outTradeNo: 'T9', subMchId: '1900000109' });
  expect(ok).toMatchObject({ returnCode: 'SUCCESS', outTradeNo: 'T9', errCode: 0 });
  const err = await h.cloud.cloudPay.unifiedOrder({ body: 'x' }).catch((e: { errMsg: string }) => e);
  expect(err.errMsg).toContain('not emulated: cloudPay.unifiedOrder (see emulator/cloudbase/README.md)');
});

test('a hosted function needs the API in permissions.openapi (-604101 otherwise); the handler sees which function and user called', async () => {
  const call = (name: string) => fetch(`${h.emu.url}/functions/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: 'o-staff-1', data: {} }) }).then((r) => r.json() as Promise<{ result: Record<string, unknown> }>);
  const denied = await call('unpermitted');
  expect(denied.result.errCode).toBe(-604101);
  expect(denied.result.errMsg).toContain('add "wxa.test.echo" to permissions.openapi in cloudfunctions/unpermitted/config.json');
  const allowed = await call('permitted');
  expect(allowed.result).toMatchObject({ errCode: 0, echoed: { fromFunction: true }, callerFunction: 'permitted', callerOpenid: 'o-staff-1' });
});

test('the emulator decodes a CommApiData built independently with protobufjs (appid, unknown fields skipped)', () => {
  const bytes = CommApiData.encode(
    CommApiData.create({
      apiType: 0,
      openapiData: { pairs: [{ key: 'transaction_id', value: Buffer.from('"4200001"') }, { key: 'received_time', value: Buffer.from('1796155330') }] },
      appid: 'wx1234567890abcdef',
      unknownLater: 'ignored',
    }),
  ).finish();
  const msg = decodeCommApiData(Buffer.from(bytes));
  expect(msg.appid).toBe('wx1234567890abcdef');
  expect(msg.pairs.map((p) => [p.key, p.value.toString()])).toEqual([['transaction_id', '"4200001"'], ['received_time', '1796155330']]);
});

test('the emulator answer decodes with protobufjs as CommOpenApiResp, negative error codes included', () => {
  const decoded = CommOpenApiResp.toObject(CommOpenApiResp.decode(encodeCommOpenApiResp({ respData: Buffer.from('{"errcode":0}'), contentType: 'application/json', errorCode: -604101, httpCode: 200 })));
  expect(Buffer.from(decoded.respData).toString()).toBe('{"errcode":0}');
  expect(decoded).toMatchObject({ contentType: 'application/json', errorCode: -604101, httpCode: 200 });
});

test('a hand-built multipart request with a protobufjs message gets a protobuf answer over HTTP', async () => {
  seen.length = 0;
  const form = new FormData();
  form.append('action', 'wx.openApi');
  form.append('apiName', 'wxa.test.echo');
  const pb = CommApiData.encode(CommApiData.create({ apiType: 0, openapiData: { pairs: [{ key: 'n', value: Buffer.from('42') }] } })).finish();
  form.append('requestData', new Blob([Buffer.from(pb)]), 'blob');
  form.append('envName', h.emu.envId);
  const res = await fetch(h.emu.adminUrl, { method: 'POST', body: form });
  expect(res.headers.get('content-type')).toBe('application/octet-stream');
  const reply = CommOpenApiResp.toObject(CommOpenApiResp.decode(new Uint8Array(await res.arrayBuffer())));
  expect(reply.contentType).toBe('application/json');
  expect(JSON.parse(Buffer.from(reply.respData).toString())).toMatchObject({ errcode: 0, echoed: { n: 42 } });
  expect(seen[0].data).toEqual({ n: 42 });
});

test('a malformed multipart body is refused with INVALID_PARAM, nothing dispatched', async () => {
  seen.length = 0;
  const res = await fetch(h.emu.adminUrl, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=XYZ' }, body: '--XYZ\r\nContent-Disposition: form-data; name="action"\r\n\r\nwx.openApi' });
  expect(await res.json()).toMatchObject({ code: 'INVALID_PARAM', message: expect.stringContaining('not terminated by the boundary') });
  expect(seen).toHaveLength(0);
});
