/**
 * deploy:scf with secrets in SSM: the function needs an execution role (SCF then sets
 * TENCENTCLOUD_SECRETID/SECRETKEY/SESSIONTOKEN for it). The deploy config's "role" is sent on create,
 * compared on re-deploy, updated when changed; a plan with ssm: references and no role warns.
 * Against the local SCF double, through the real SDK client.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFunction, listFunctionNames } from '../../scripts/deploy/bundle';
import { loadDeployConfig } from '../../scripts/deploy/config';
import { executePlan } from '../../scripts/deploy/deploy';
import { buildPlan, formatPlan } from '../../scripts/deploy/plan';
import { createScfClient } from '../../scripts/deploy/scf';
import { makeFunctionsDir } from './fixtures';
import { setCliLang } from '../../scripts/i18n';
import { startScfDouble, type ScfDouble } from './scfDouble';

const ENV = { WX_APPID: 'wx1234567890abcdef', WXPAY_MCHID: '1900000001', WXPAY_PRIVATE_KEY: 'ssm:wxpay-private-key', WXPAY_APIV3_KEY: 'ssm:wxpay-apiv3@v1' };

function planWith(fnDir: string, file: Record<string, unknown>) {
  const path = join(mkdtempSync(join(tmpdir(), 'deploy-role-')), 'deploy.json');
  writeFileSync(path, JSON.stringify({ region: 'ap-guangzhou', environment: ENV, ...file }));
  return buildPlan(listFunctionNames(fnDir).map((n) => bundleFunction(fnDir, n)), loadDeployConfig({ file: path, env: {} }));
}

let double: ScfDouble;
beforeEach(async () => {
  double = await startScfDouble({ transitionPolls: 0 });
});
afterEach(() => double.close());
beforeAll(() => setCliLang('en')); // formatPlan in this process: its English lines

test('ssm: references without a role: the plan warns; the references are shown, not masked', () => {
  const plan = planWith(makeFunctionsDir(), {});
  expect(plan.warnings.join('\n')).toContain('WXPAY_PRIVATE_KEY, WXPAY_APIV3_KEY are ssm: references: set "role" in the deploy config');
  const text = formatPlan(plan);
  expect(text).toContain('WXPAY_PRIVATE_KEY=ssm:wxpay-private-key');
  expect(text).toContain('WXPAY_APIV3_KEY=ssm:wxpay-apiv3@v1');
});

test('the role is sent on create, left alone when unchanged, and updated when it changes', async () => {
  const dir = makeFunctionsDir();
  const api = createScfClient({ secretId: 'AKIDtest', secretKey: 'test-secret-key', region: 'ap-guangzhou', endpoint: double.url });
  const opts = { pollMs: 1, maxPolls: 20, log: () => undefined };
  const first = planWith(dir, { role: 'SCF_WxPaySecretsReader' });
  expect(first.warnings).toEqual([]);
  expect(formatPlan(first)).toContain('execution role: SCF_WxPaySecretsReader');
  await executePlan(api, first, opts);
  expect(double.calls.filter((c) => c.action === 'CreateFunction').map((c) => c.params.Role)).toEqual(['SCF_WxPaySecretsReader', 'SCF_WxPaySecretsReader', 'SCF_WxPaySecretsReader', 'SCF_WxPaySecretsReader']);

  const again = await executePlan(api, first, opts);
  expect(again.every((o) => !o.configChanged)).toBe(true);

  const changed = await executePlan(api, planWith(dir, { role: 'SCF_OtherRole' }), opts);
  expect(changed.every((o) => o.configChanged)).toBe(true);
  expect(double.functions.get('default/createOrder')!.config.Role).toBe('SCF_OtherRole');
});

test('a malformed role is refused before any call', () => {
  expect(() => planWith(makeFunctionsDir(), { role: 'bad role!' })).toThrow(/role must be a CAM role name/);
});
