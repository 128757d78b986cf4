/**
 * config.json `permissions.openapi` lists exactly the cloud calls each function's bundle makes
 * (the platform refuses an unlisted call with -604101; a listed but unused one is a needless grant).
 * The bundles are built in memory with the build's own options, so this follows whatever any
 * function calls, whichever module the call lives in.
 */
import { build } from 'esbuild';
import { functionBuildOptions, FUNCTIONS_DIR, listFunctionNames } from '../../scripts/build/functions';
import { declaredOpenapi, openapiCallsIn } from '../../scripts/build/openapi-calls';

jest.setTimeout(120_000);

describe('cloud-call permissions', () => {
  test('the scanner finds property-chain calls in minified output, and nothing in the SDK itself', async () => {
    expect(openapiCallsIn('const n=e.openapi.wxa.sec.order.uploadShippingInfo({a:1}),t=await r.openapi.subscribeMessage.send (x);')).toEqual([
      'subscribeMessage.send',
      'wxa.sec.order.uploadShippingInfo',
    ]);
    // With options first (convertCase off), as lib/platform/cloud-call.ts calls.
    expect(openapiCallsIn('return e.openapi({convertCase:!1}).wxa.sec.order.getOrder(t)')).toEqual(['wxa.sec.order.getOrder']);
    // wx-server-sdk's own openapi machinery (openapiData, module paths) is not a call.
    expect(openapiCallsIn('a.openapiData=f.OpenApiData.decode(a);"openapi/namespace/index.ts"')).toEqual([]);
  });

  test.each(listFunctionNames())('%s: permissions.openapi is exactly the calls in its bundle', async (name) => {
    const result = await build({ ...functionBuildOptions(FUNCTIONS_DIR, name), write: false, outfile: `/virtual/${name}.js` });
    const bundle = result.outputFiles.map((f) => f.text).join('\n');
    expect(bundle.length).toBeGreaterThan(100_000); // wx-server-sdk is in it: this is the real bundle
    expect(declaredOpenapi(FUNCTIONS_DIR, name)).toEqual(openapiCallsIn(bundle));
  });
});
