/**
 * npm run deploy:cloud end to end: the real script (child process, via tsx) with the real
 * @cloudbase/manager-node, against the local TC3-verifying double of the SCF and TCB APIs
 * (test/deploy/cloudDouble.ts), reached over TLS through the library's own proxy support.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCloudDouble, type CloudDouble } from './cloudDouble';
import { collectionNames, DATABASE_INDEXES } from '../../lib/store/deployment';
import { makeFunctionsDir, QUERY_ORDER_CRON } from './fixtures';

/** Plan items for the database: per collection one collection and one rule item, plus its indexes. */
const DB_ITEMS = collectionNames().reduce((n, c) => n + 2 + (DATABASE_INDEXES[c]?.length ?? 0), 0);
/** Plan items for the fixture's functions: 4 functions, 1 timer, 1 HTTP path. */
const FN_ITEMS = 6;

jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '../..');
// tsx's loader in one node process (the tsx CLI would start a second node to run the script).
const TSX = require.resolve('tsx/cjs');
const APIV3 = 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4';
const SECRET_KEY = 'cloud-test-secret-key';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(double: CloudDouble, args: string[], env: Record<string, string> = {}, script = 'scripts/deploy-cloud.ts'): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--require', TSX, join(ROOT, script), ...args],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          LANG: 'en_US.UTF-8', // the English texts below; Chinese (the default) in test/deploy/doctor.test.ts
          // How manager-node reaches the double: its proxy support, and the test CA for TLS.
          http_proxy: double.proxyUrl,
          NODE_EXTRA_CA_CERTS: double.caFile,
          TENCENTCLOUD_SECRETID: 'AKIDcloudtest',
          TENCENTCLOUD_SECRETKEY: SECRET_KEY,
          ...env,
        },
      },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** One test's own double, work dir and functions: the tests run side by side (test.concurrent). */
interface Fixture {
  double: CloudDouble;
  work: string;
  functionsDir: string;
  notifyUrl: string;
  writeConfig(extra?: Record<string, unknown>, environment?: Record<string, string>): string;
}

describe('deploy:cloud against the SCF + TCB double', () => {
  // Most of a test's time is the deploy child waiting (manager-node looks again a second after each
  // create or update): the tests run concurrently, each on its own double and files.
  const fixtures: Fixture[] = [];
  // One merchant key for the file: each test writes it into its own work dir.
  let pemMade: string | undefined;
  const merchantPem = (): string =>
    (pemMade ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

  async function fixture(): Promise<Fixture & { pem: string }> {
    const double = await startCloudDouble();
    const work = mkdtempSync(join(tmpdir(), 'deploy-cloud-'));
    const pem = merchantPem();
    writeFileSync(join(work, 'apiclient_key.pem'), pem);
    const notifyUrl = `https://${double.envId}-1250000000.ap-shanghai.app.tcloudbase.com/pay/notify`;
    const writeConfig = (extra: Record<string, unknown> = {}, environment: Record<string, string> = {}) => {
      const file = join(work, 'deploy.cloud.json');
      writeFileSync(
        file,
        JSON.stringify({
          envId: double.envId,
          timeout: 20,
          functions: { queryOrder: { timeout: 30 } },
          environment: {
            WX_APPID: 'wx1234567890abcdef',
            WXPAY_MCHID: '1900000001',
            WXPAY_MERCHANT_SERIAL_NO: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
            WXPAY_PRIVATE_KEY: './apiclient_key.pem',
            WXPAY_APIV3_KEY: APIV3,
            WXPAY_NOTIFY_URL: notifyUrl,
            ...environment,
          },
          ...extra,
        }),
      );
      return file;
    };
    const fx = { double, work, pem, functionsDir: makeFunctionsDir(), notifyUrl, writeConfig };
    fixtures.push(fx);
    return fx;
  }
  const noSecret = (r: Run) => {
    const all = r.stdout + r.stderr;
    expect(all).not.toContain(APIV3);
    expect(all).not.toContain('PRIVATE KEY');
    expect(all).not.toContain(SECRET_KEY);
  };
  afterAll(() => Promise.all(fixtures.map((f) => f.double.close())));

  test.concurrent('--dry-run on an empty environment: the plan says create for everything, secrets masked, nothing changed', async () => {
    const { double, functionsDir, writeConfig } = await fixture();
    const r = await run(double, ['--dry-run', '--config', writeConfig(), '--functions-dir', functionsDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(double.writes()).toEqual([]);
    expect(r.stdout).toContain('+ collection orders: create');
    expect(r.stdout).toContain('~ rule orders {"read":false,"write":false}: update');
    expect(r.stdout).toContain('~ rule products {"read":true,"write":false}: update');
    expect(r.stdout).toContain('+ index orders.status_lastCheckedAt (status:1,lastCheckedAt:1): create');
    expect(r.stdout).toContain('+ function queryOrder: create');
    expect(r.stdout).toMatch(/Nodejs16\.13, index\.main, timeout 30 s, memory 256 MB, 6 variables, code [0-9a-f]{12}… \(index\.js \+ package\.json \+ config\.json\), no cloud install/);
    expect(r.stdout).toContain(`+ timer queryOrder/reconcile "${QUERY_ORDER_CRON}": create`);
    expect(r.stdout).toContain('+ HTTP path /pay/notify → payNotify: create');
    expect(r.stdout).toContain('WXPAY_APIV3_KEY=<secret, 32 chars>');
    expect(r.stdout).toContain('--dry-run: nothing was changed.');
    noSecret(r);
  });

  test.concurrent('first deploy from nothing, second deploy unchanged, a changed timeout updates exactly one function', async () => {
    const { double, pem, functionsDir, notifyUrl, writeConfig } = await fixture();
    const config = writeConfig();
    const first = await run(double, ['--config', config, '--functions-dir', functionsDir]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    noSecret(first);
    expect(first.stdout).toMatch(/\[1\/\d+\] create collection /);

    // Functions: explicit runtime, no cloud install, sizes and the whole environment from config.
    expect([...double.functions.keys()].sort()).toEqual(['createOrder', 'login', 'payNotify', 'queryOrder']);
    for (const [name, f] of double.functions) {
      expect(f.config.Runtime).toBe('Nodejs16.13');
      expect(f.config.Handler).toBe('index.main');
      expect(f.config.InstallDependency).toBe('FALSE');
      expect(f.config.Timeout).toBe(name === 'queryOrder' ? 30 : 20);
      const vars = Object.fromEntries(f.config.Environment.Variables.map((v) => [v.Key, v.Value]));
      expect(vars.WXPAY_PRIVATE_KEY).toBe(pem);
      expect(vars.WXPAY_APIV3_KEY).toBe(APIV3);
      expect(vars.WXPAY_NOTIFY_URL).toBe(notifyUrl);
    }
    expect(double.functions.get('queryOrder')!.triggers).toEqual([{ Type: 'timer', TriggerName: 'reconcile', TriggerDesc: JSON.stringify({ cron: QUERY_ORDER_CRON }) }]);
    expect(double.functions.get('login')!.triggers).toEqual([]);
    expect(double.access).toEqual([expect.objectContaining({ Path: '/pay/notify', Name: 'payNotify', Type: 1 })]);

    // Database: every registry collection, shut to the client SDK except the catalogue; the README's indexes.
    expect([...double.tables.keys()].sort()).toEqual(collectionNames());
    expect(collectionNames()).toEqual(expect.arrayContaining(['orders', 'payment_events', 'products', 'refunds', 'users']));
    for (const name of collectionNames().filter((c) => c !== 'products')) {
      expect(double.tables.get(name)!.permission).toEqual({ Permission: 'CUSTOM', SecurityRule: '{"read":false,"write":false}' });
    }
    expect(double.tables.get('products')!.permission).toEqual({ Permission: 'CUSTOM', SecurityRule: '{"read":true,"write":false}' });
    const idx = (t: string) => double.tables.get(t)!.indexes.filter((i) => i.Name !== '_id_').map((i) => `${i.Name}=${i.Keys.map((k) => `${k.Name}:${k.Direction}`).join(',')}${i.Unique ? '!' : ''}`);
    expect(idx('orders')).toEqual(['status_lastCheckedAt=status:1,lastCheckedAt:1', 'auditPending_updatedAt=auditPending:1,updatedAt:1', 'paidAt=paidAt:1']);
    expect(idx('refunds')).toEqual(['status_lastCheckedAt=status:1,lastCheckedAt:1', 'booked_updatedAt=booked:1,updatedAt:1', 'createdAt=createdAt:1']);

    const writesAfterFirst = double.writes().length;
    const second = await run(double, ['--config', config, '--functions-dir', functionsDir]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Done: everything was already up to date');
    expect(second.stdout).not.toMatch(/^ {2}[+~!] /m);
    expect(double.writes().length).toBe(writesAfterFirst);

    writeConfig({ functions: { queryOrder: { timeout: 30 }, payNotify: { timeout: 10 } } });
    const third = await run(double, ['--config', config, '--functions-dir', functionsDir]);
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('~ function payNotify: update');
    expect(third.stdout).toContain('timeout 20 s → 10 s');
    expect(third.stdout).toContain(`Summary: 0 to create, 1 to update, ${DB_ITEMS + FN_ITEMS - 1} unchanged`);
    expect(double.writes().slice(writesAfterFirst)).toEqual(['UpdateFunctionConfiguration payNotify']);
    expect(double.functions.get('payNotify')!.config.Timeout).toBe(10);
    noSecret(third);
  });

  test.concurrent('a missing CAM permission stops the deploy with the API error, a clear message, and what was and was not done', async () => {
    const { double, functionsDir, writeConfig } = await fixture();
    double.injectError('CreateFunction', 'AuthFailure.UnauthorizedOperation', 'you are not authorized to perform operation (scf:CreateFunction)');
    const r = await run(double, ['--config', writeConfig(), '--functions-dir', functionsDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/deploy:cloud failed \[API_ERROR\] at CreateFunction createOrder: AuthFailure\.UnauthorizedOperation: .*you are not authorized to perform operation \(scf:CreateFunction\)/);
    expect(r.stderr).toContain('is not allowed to do this on environment prod-test1a: attach QcloudTCBFullAccess');
    expect(r.stderr).toMatch(/\(RequestId req-\d+\)/);
    expect(r.stdout).toContain('Stopped at function createOrder.');
    expect(r.stdout).toContain(`Done (${DB_ITEMS}): create collection `);
    expect(r.stdout).toContain('update rule orders {"read":false,"write":false}; create index orders.status_lastCheckedAt');
    expect(r.stdout).toMatch(/Not done \(6\): create function createOrder; create function login; create function payNotify; create function queryOrder; create timer queryOrder\/reconcile .*; create HTTP path \/pay\/notify → payNotify/);
    expect(double.functions.size).toBe(0);
    expect(double.access).toEqual([]);
    noSecret(r);
  });

  test.concurrent('the double checks every signature: a wrong SecretKey is refused with the API\'s AuthFailure code', async () => {
    const { double, functionsDir, writeConfig } = await fixture();
    const r = await run(double, ['--dry-run', '--config', writeConfig(), '--functions-dir', functionsDir], { TENCENTCLOUD_SECRETKEY: 'not-the-key' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\[API_ERROR\] at DescribeEnvInfo: .*AuthFailure\.SignatureFailure/);
    expect(double.writes()).toEqual([]);
  });

  test.concurrent('a function left on another runtime (miniprogram-ci creates Nodejs8.9) blocks the deploy before any change', async () => {
    const { double, functionsDir, writeConfig } = await fixture();
    double.functions.set('login', {
      config: { Runtime: 'Nodejs8.9', Handler: 'index.main', Timeout: 3, MemorySize: 256, InstallDependency: 'FALSE', Environment: { Variables: [] } },
      code: Buffer.from('PK\x03\x04'),
      status: 'Active',
      triggers: [],
    });
    const r = await run(double, ['--config', writeConfig(), '--functions-dir', functionsDir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('! function login: blocked');
    expect(r.stdout).toContain('runtime is Nodejs8.9; a runtime cannot be changed in place');
    expect(r.stderr).toMatch(/\[CONFIG_INVALID\] at check plan: nothing was changed: function login: runtime is Nodejs8\.9/);
    expect(double.writes()).toEqual([]);
  });

  test.concurrent('a configuration the doctor rejects is never deployed, not even planned', async () => {
    const { double, functionsDir, writeConfig } = await fixture();
    const r = await run(double, ['--dry-run', '--config', writeConfig({}, { WXPAY_APIV3_KEY: 'too-short' }), '--functions-dir', functionsDir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ERROR WXPAY_APIV3_KEY');
    expect(r.stderr).toMatch(/\[CONFIG_REJECTED\] at doctor: the configuration has 1 error\(s\) \(WXPAY_APIV3_KEY\); nothing was deployed/);
    expect(double.calls).toEqual([]);
  });

  test.concurrent('--cloudbaserc writes a cloudbaserc.json for tcb with the config and no secret value', async () => {
    const { double, work, functionsDir, notifyUrl, writeConfig } = await fixture();
    const out = join(work, 'cloudbaserc.json');
    const r = await run(double, ['--config', writeConfig(), '--functions-dir', functionsDir, '--cloudbaserc', out]);
    expect(r.code).toBe(0);
    expect(double.calls).toEqual([]);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain(APIV3);
    expect(text).not.toContain('PRIVATE KEY');
    const rc = JSON.parse(text);
    expect(rc).toMatchObject({ version: '2.0', envId: double.envId, functionRoot: './cloudfunctions' });
    const q = rc.functions.find((f: { name: string }) => f.name === 'queryOrder');
    expect(q).toMatchObject({ handler: 'index.main', runtime: 'Nodejs16.13', timeout: 30, memorySize: 256, installDependency: false, triggers: [{ name: 'reconcile', type: 'timer', config: QUERY_ORDER_CRON }] });
    expect(q.envVariables).toEqual({
      WXPAY_APIV3_KEY: '{{env.WXPAY_APIV3_KEY}}',
      WXPAY_MCHID: '1900000001',
      WXPAY_MERCHANT_SERIAL_NO: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
      WXPAY_NOTIFY_URL: notifyUrl,
      WXPAY_PRIVATE_KEY: '{{env.WXPAY_PRIVATE_KEY}}',
      WX_APPID: 'wx1234567890abcdef',
    });
    expect(r.stdout).toContain('need WXPAY_APIV3_KEY, WXPAY_PRIVATE_KEY in a git-ignored .env file');
    expect(r.stdout).toContain('tcb fn deploy payNotify --path /pay/notify');
  });

  test.concurrent('doctor --cloud --live reads the environment read-only: errors before the deploy, clean after it, then names each drift without values', async () => {
    const { double, functionsDir, writeConfig } = await fixture();
    const config = writeConfig();
    const doctor = (extra: string[] = []) => run(double, ['--cloud', '--live', '--config', config, '--functions-dir', functionsDir, ...extra], {}, 'scripts/doctor.ts');
    const before = await doctor();
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('ERROR function payNotify: missing (npm run deploy:cloud creates it)');
    expect(before.stdout).toContain('ERROR HTTP path /pay/notify → payNotify: no HTTP access path');
    expect(double.writes()).toEqual([]);

    expect((await run(double, ['--config', config, '--functions-dir', functionsDir])).code).toBe(0);
    const writes = double.writes().length;
    const clean = await doctor();
    expect(clean.stdout).toContain('ok    function queryOrder: Nodejs16.13, timeout 30 s, memory 256 MB, code and all 6 variables as configured');
    expect(clean.stdout).toContain('The environment matches the configuration.');
    expect(clean.code).toBe(0);

    // Drift, as console clicks or a DevTools upload would leave it.
    const payNotify = double.functions.get('payNotify')!;
    payNotify.config.Timeout = 3;
    payNotify.config.Environment.Variables = payNotify.config.Environment.Variables.filter((v) => v.Key !== 'WXPAY_APIV3_KEY');
    const login = double.functions.get('login')!;
    login.config.Environment.Variables = login.config.Environment.Variables.map((v) => (v.Key === 'WXPAY_PRIVATE_KEY' ? { ...v, Value: 'another value' } : v));
    double.functions.get('queryOrder')!.triggers = [];
    double.access.splice(0, 1, { APIId: 'api-x', Path: '/pay/notify', Name: 'login', Type: 1 });
    double.tables.get('orders')!.permission = { Permission: 'PRIVATE' };
    double.tables.get('refunds')!.indexes = double.tables.get('refunds')!.indexes.filter((i) => i.Name !== 'booked_updatedAt');
    const drift = await doctor();
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('ERROR function payNotify: timeout 3 s → 20 s');
    expect(drift.stdout).toContain('ERROR function payNotify: environment: add WXPAY_APIV3_KEY');
    expect(drift.stdout).toContain('WARN  function login: environment: WXPAY_PRIVATE_KEY differ from the config (values not shown)');
    expect(drift.stdout).toContain('ERROR timer queryOrder/reconcile');
    expect(drift.stdout).toContain('ERROR HTTP path /pay/notify → payNotify: now bound to login (rebind)');
    expect(drift.stdout).toContain('ERROR rule orders {"read":false,"write":false}: preset PRIVATE → {"read":false,"write":false}');
    expect(drift.stdout).toContain('ERROR index refunds.booked_updatedAt (booked:1,updatedAt:1): missing');
    expect(drift.stdout).not.toContain('another value');
    noSecret(drift);
    expect(double.writes().length).toBe(writes);
  });
});
