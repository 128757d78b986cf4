/**
 * `npx tsx scripts/bench/ssm.ts` (or `npm run bench -- ssm`): what `ssm:` references cost.
 * - bundle: createOrder built as `npm run build` does, vs the extra bytes the official SDK's
 *   common client would have added for the one GetSecretValue call (why lib/ssm signs TC3 itself);
 * - prepareSecrets() when no variable is a reference (the path every existing deployment takes);
 * - first resolution of two references against the local SSM double (signed HTTP on 127.0.0.1);
 * - a cached resolution (every later invocation within the TTL).
 */
import { build } from 'esbuild';
import { generateKeyPairSync } from 'crypto';
import { join } from 'path';
import { createSecretEnv } from '../../lib/ssm/env';
import { startSsmDouble } from '../../test/config/ssmDouble';

const ROOT = join(__dirname, '..', '..');

async function bundleBytes(entry: string | { contents: string }): Promise<number> {
  const r = await build({
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { contents: entry.contents, resolveDir: ROOT, loader: 'ts' } }),
    bundle: true, platform: 'node', target: 'node16', format: 'cjs', minify: true, legalComments: 'none',
    external: ['supports-color'], logLevel: 'error', write: false, absWorkingDir: ROOT,
  });
  return r.outputFiles.reduce((n, f) => n + f.contents.length, 0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const createOrder = await bundleBytes(join(ROOT, 'cloudfunctions/createOrder/index.ts'));
  const ssmOnly = await bundleBytes({ contents: "export { getSecretValue } from '../lib/ssm/client';" });
  const sdkOnly = await bundleBytes({
    contents: "import { CommonClient } from 'tencentcloud-sdk-nodejs-common'; export const c = (n: string) => new CommonClient('ssm.tencentcloudapi.com', '2019-09-23', { credential: {}, region: 'ap-guangzhou' }).request('GetSecretValue', { SecretName: n });",
  });
  console.log(`bundle  createOrder index.js ${(createOrder / 1024).toFixed(1)} KiB (lib/ssm client alone: ${(ssmOnly / 1024).toFixed(1)} KiB; tencentcloud-sdk-nodejs-common CommonClient alone: ${(sdkOnly / 1024).toFixed(1)} KiB)`);

  const plainEnv = { WXPAY_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----…', WXPAY_APIV3_KEY: 'k'.repeat(32) };
  const plain = createSecretEnv({ env: plainEnv });
  const N = 1_000_000;
  let t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await plain.prepare();
  const noRefNs = Number(process.hrtime.bigint() - t) / N;
  console.log(`no ssm: reference  prepareSecrets() ${noRefNs.toFixed(0)} ns per invocation (${N} calls, no network)`);

  const role = { id: 'AKIDbench', key: 'bench-key', token: 'bench-token' };
  const ssm = await startSsmDouble({ [role.id]: { secretKey: role.key, token: role.token } });
  ssm.putSecret('pk', 'v1', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  ssm.putSecret('v3', 'v1', 'k'.repeat(32));
  const refEnv = {
    WXPAY_PRIVATE_KEY: 'ssm:pk', WXPAY_APIV3_KEY: 'ssm:v3',
    TENCENTCLOUD_SECRETID: role.id, TENCENTCLOUD_SECRETKEY: role.key, TENCENTCLOUD_SESSIONTOKEN: role.token,
    TENCENTCLOUD_REGION: 'ap-guangzhou', TENCENTCLOUD_SSM_ENDPOINT: ssm.url,
  };
  const firsts: number[] = [];
  for (let i = 0; i < 50; i++) {
    const s = createSecretEnv({ env: refEnv, log: () => undefined });
    t = process.hrtime.bigint();
    await s.prepare();
    firsts.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  console.log(`first invocation  2 references resolved from the local double: median ${median(firsts).toFixed(2)} ms (50 fresh instances; a real SSM adds a network round trip)`);

  const warm = createSecretEnv({ env: refEnv, log: () => undefined });
  await warm.prepare();
  const callsBefore = ssm.calls.length;
  const M = 100_000;
  t = process.hrtime.bigint();
  for (let i = 0; i < M; i++) await warm.prepare();
  console.log(`within the TTL  cached resolution ${(Number(process.hrtime.bigint() - t) / M / 1000).toFixed(2)} µs per invocation (${ssm.calls.length - callsBefore} SSM calls for ${M} invocations)`);
  await ssm.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
