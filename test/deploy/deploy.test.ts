/**
 * Deploys temp function folders through the real tencentcloud SDK client to the local SCF
 * double (which verifies every TC3 signature): first deploy, re-deploy, Creating → Active,
 * config and cron changes, an API error mid-way, a stuck and a failed function.
 */
import { bundleFunction, listFunctionNames } from '../../scripts/deploy/bundle';
import { loadDeployConfig } from '../../scripts/deploy/config';
import { executePlan, formatUrls } from '../../scripts/deploy/deploy';
import { DeployError } from '../../scripts/deploy/errors';
import { buildPlan } from '../../scripts/deploy/plan';
import { createScfClient } from '../../scripts/deploy/scf';
import { QUERY_ORDER_CRON, makeFunctionsDir } from './fixtures';
import { startScfDouble, type ScfDouble } from './scfDouble';
import { readZip } from './zipReader';
import { setCliLang } from '../../scripts/i18n';

const ENV = { WX_APPID: 'wx1234567890abcdef', WXPAY_MCHID: '1900000001', WXPAY_APIV3_KEY: 'k'.repeat(32) };

function planFor(dir: string, env: Record<string, string> = ENV) {
  const config = loadDeployConfig({ env: { ...env, TENCENTCLOUD_REGION: 'ap-guangzhou' } });
  return { plan: buildPlan(listFunctionNames(dir).map((n) => bundleFunction(dir, n)), config), config };
}

describe('deploy to SCF (local API double)', () => {
  beforeAll(() => setCliLang('en')); // executePlan logs in this process: the English lines below
  let double: ScfDouble;
  let log: string[];
  const opts = () => ({ pollMs: 1, maxPolls: 20, log: (l: string) => log.push(l) });
  const client = (secretKey = 'test-secret-key') =>
    createScfClient({ secretId: 'AKIDtest', secretKey, region: 'ap-guangzhou', endpoint: double.url });

  beforeEach(async () => {
    double = await startScfDouble({ transitionPolls: 2 });
    log = [];
  });
  afterEach(() => double.close());

  test('first deploy creates each function, waits Creating → Active, adds the queryOrder timer and function URLs', async () => {
    const dir = makeFunctionsDir();
    const { plan } = planFor(dir);
    const out = await executePlan(client(), plan, opts());

    expect(out.map((o) => [o.name, o.action])).toEqual([
      ['createOrder', 'created'],
      ['login', 'created'],
      ['payNotify', 'created'],
      ['queryOrder', 'created'],
    ]);
    expect(double.actions().filter((a) => a.startsWith('CreateFunction'))).toHaveLength(4);
    // Two polls saw Creating before Active, for each function, and progress was printed.
    expect(log.filter((l) => /createOrder: Creating/.test(l))).toHaveLength(1);
    expect(log.filter((l) => /createOrder: still Creating/.test(l))).toHaveLength(1);
    expect(log).toContain('    createOrder: Active');

    const fn = double.functions.get('default/queryOrder')!;
    expect(fn.config).toMatchObject({ Runtime: 'Nodejs16.13', Handler: 'index.main', Timeout: 20, MemorySize: 256 });
    expect(fn.config.Environment.Variables).toEqual(Object.entries(ENV).sort().map(([Key, Value]) => ({ Key, Value })));
    expect(fn.triggers.filter((t) => t.Type === 'timer')).toEqual([expect.objectContaining({ TriggerName: 'reconcile', TriggerDesc: JSON.stringify({ cron: QUERY_ORDER_CRON }) })]);
    expect(double.functions.get('default/login')!.triggers.filter((t) => t.Type === 'timer')).toHaveLength(0);

    // The uploaded code is a valid zip holding the built files.
    expect(readZip(fn.code).map((e) => e.name)).toEqual(['index.js', 'package.json', 'config.json']);
    expect(readZip(double.functions.get('default/login')!.code).map((e) => e.name)).toEqual(['index.js', 'package.json']);

    expect(out.every((o) => o.url && /^https:\/\/[0-9a-f]{10}\.ap-test\.tencentscf\.com$/.test(o.url))).toBe(true);
    const urls = formatUrls(out, ENV);
    const notifyUrl = out.find((o) => o.name === 'payNotify')!.url;
    expect(urls).toContain(`ACTION: set WXPAY_NOTIFY_URL=${notifyUrl}/pay/notify`);
  });

  test('re-deploy is idempotent: code updated, nothing created twice, unchanged config left alone', async () => {
    const dir = makeFunctionsDir();
    await executePlan(client(), planFor(dir).plan, opts());
    double.calls.length = 0;

    const out = await executePlan(client(), planFor(dir).plan, opts());
    expect(out.every((o) => o.action === 'updated' && !o.configChanged)).toBe(true);
    const actions = double.actions();
    expect(actions.filter((a) => a.startsWith('UpdateFunctionCode'))).toHaveLength(4);
    expect(actions.some((a) => /^(CreateFunction|CreateTrigger|UpdateTrigger|UpdateFunctionConfiguration)/.test(a))).toBe(false);
    expect(double.functions.get('default/queryOrder')!.triggers.map((t) => t.Type).sort()).toEqual(['http', 'timer']);
    expect(out.find((o) => o.name === 'queryOrder')!.timers).toEqual([{ name: 'reconcile', action: 'unchanged' }]);
  });

  test('changed environment and cron are applied with UpdateFunctionConfiguration and UpdateTrigger', async () => {
    await executePlan(client(), planFor(makeFunctionsDir()).plan, opts());
    double.calls.length = 0;
    const env = { ...ENV, WXPAY_NOTIFY_URL: 'https://example.com/pay/notify' };
    const out = await executePlan(client(), planFor(makeFunctionsDir({ cron: '0 */10 * * * * *' }), env).plan, opts());

    expect(double.actions().filter((a) => a.startsWith('UpdateFunctionConfiguration'))).toHaveLength(4);
    expect(double.actions().filter((a) => a.startsWith('UpdateTrigger'))).toEqual(['UpdateTrigger queryOrder']);
    expect(out.find((o) => o.name === 'queryOrder')!.timers).toEqual([{ name: 'reconcile', action: 'updated' }]);
    expect(double.functions.get('default/login')!.config.Environment.Variables).toContainEqual({ Key: 'WXPAY_NOTIFY_URL', Value: 'https://example.com/pay/notify' });
    expect(double.functions.get('default/queryOrder')!.triggers.find((t) => t.Type === 'timer')!.TriggerDesc).toBe(JSON.stringify({ cron: '0 */10 * * * * *' }));
  });

  test('an API error mid-way names the step and the API error, stops there, and a re-run completes', async () => {
    const dir = makeFunctionsDir();
    await executePlan(client(), planFor(dir).plan, opts());
    double.injectError('UpdateFunctionCode', 'InternalError.System', 'internal error (injected)', 'login');
    double.calls.length = 0;

    const err = await executePlan(client(), planFor(dir).plan, opts()).catch((e) => e);
    expect(err).toBeInstanceOf(DeployError);
    expect(err).toMatchObject({ code: 'API_ERROR', step: 'UpdateFunctionCode login', apiCode: 'InternalError.System' });
    expect(err.message).toMatch(/^UpdateFunctionCode login: InternalError\.System: internal error \(injected\) \(RequestId req-\d+\)$/);
    // createOrder (alphabetically first) was done; nothing after login was touched.
    expect(double.actions().some((a) => /payNotify|queryOrder/.test(a))).toBe(false);

    const out = await executePlan(client(), planFor(dir).plan, opts());
    expect(out.map((o) => o.action)).toEqual(['updated', 'updated', 'updated', 'updated']);
  });

  test('a wrong secret key is refused by the signature check and reported at the first step', async () => {
    const err = await executePlan(client('wrong-key'), planFor(makeFunctionsDir()).plan, opts()).catch((e) => e);
    expect(err).toMatchObject({ code: 'API_ERROR', step: 'GetFunction createOrder', apiCode: 'AuthFailure.SignatureFailure' });
    expect(double.functions.size).toBe(0);
  });

  test('a function stuck in Creating ends in WAIT_TIMEOUT after the bounded number of polls', async () => {
    double.setOutcome('createOrder', 'stuck');
    const err = await executePlan(client(), planFor(makeFunctionsDir()).plan, { ...opts(), maxPolls: 5 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'WAIT_TIMEOUT', step: 'CreateFunction createOrder' });
    expect(err.message).toMatch(/still Creating after 5 polls/);
    expect(double.actions().filter((a) => a === 'GetFunction createOrder')).toHaveLength(1 + 5);
  });

  test('a function that lands in CreateFailed is reported with its status description', async () => {
    double.setOutcome('createOrder', 'CreateFailed');
    const err = await executePlan(client(), planFor(makeFunctionsDir()).plan, opts()).catch((e) => e);
    expect(err).toMatchObject({ code: 'FUNCTION_FAILED', step: 'CreateFunction createOrder' });
    expect(err.message).toMatch(/CreateFailed: image pull failed/);
  });

  test('a function left Updating by an interrupted deploy is waited for before the new update', async () => {
    const dir = makeFunctionsDir();
    await executePlan(client(), planFor(dir).plan, opts());
    const fn = double.functions.get('default/login')!;
    fn.status = 'Updating';
    fn.pendingPolls = 1;
    const out = await executePlan(client(), planFor(dir).plan, opts());
    expect(out.find((o) => o.name === 'login')!.action).toBe('updated');
  });
});
