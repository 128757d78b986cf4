/**
 * npm run deploy:scf -- [--dry-run] [--config deploy.scf.json] [--region ap-guangzhou]
 *   [--namespace default] [--functions-dir cloudfunctions] [--only a,b] [--endpoint URL]
 *   [--wait-seconds 180] [--poll-ms 2000] [--urls-out file.json]
 *
 * Credentials: TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY (+ TENCENTCLOUD_SESSIONTOKEN for
 * temporary keys). Region: --region, the config file, or TENCENTCLOUD_REGION. Endpoint:
 * --endpoint or TENCENTCLOUD_SCF_ENDPOINT (tests point it at a local double).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleFunction, listFunctionNames } from './deploy/bundle';
import { loadDeployConfig } from './deploy/config';
import { executePlan, formatUrls } from './deploy/deploy';
import { DeployError, runDeployCommand } from './deploy/errors';
import { buildPlan, formatPlan } from './deploy/plan';
import { createScfClient } from './deploy/scf';
import { DEPLOY_OPTIONS, refuseUnlessDoctorAccepts } from './deploy/preflight';
import { cliArgs, t } from './i18n';

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values: a } = parseArgs({
    args: cliArgs(argv, env),
    options: {
      ...DEPLOY_OPTIONS,
      namespace: { type: 'string' },
      only: { type: 'string' },
      endpoint: { type: 'string' },
      'wait-seconds': { type: 'string', default: '180' },
      'poll-ms': { type: 'string', default: '2000' },
      'urls-out': { type: 'string' },
    },
    strict: true,
  });
  const configFile = a.config ?? env.DEPLOY_SCF_CONFIG;
  const config = loadDeployConfig({ file: configFile, env, flags: { region: a.region, namespace: a.namespace } });
  // The doctor first: a configuration it rejects is neither planned nor deployed.
  await refuseUnlessDoctorAccepts(
    { environment: config.environment, shell: env, region: config.region, merchantCertArg: a['merchant-cert'], scf: { functionUrls: config.defaults.functionUrl } },
    (line) => console.log(line),
    `npm run doctor${configFile ? ` -- --config ${configFile}` : ''}`,
  );
  const functionsDir = resolve(a['functions-dir'] ?? 'cloudfunctions');
  let names = listFunctionNames(functionsDir);
  if (a.only) {
    const only = a.only.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = only.filter((n) => !names.includes(n));
    if (unknown.length) throw new DeployError('CONFIG_INVALID', 'select functions', `--only names unknown function(s): ${unknown.join(', ')}`);
    names = only;
  }
  if (names.length === 0) throw new DeployError('BUNDLE_MISSING', 'list functions', `no functions in ${functionsDir}`);
  const plan = buildPlan(names.map((n) => bundleFunction(functionsDir, n)), config);
  console.log(formatPlan(plan));
  if (a['dry-run']) {
    console.log(t('deploy.dryRun'));
    return 0;
  }

  const secretId = env.TENCENTCLOUD_SECRETID;
  const secretKey = env.TENCENTCLOUD_SECRETKEY;
  if (!secretId || !secretKey) {
    throw new DeployError('CREDENTIALS_MISSING', 'read credentials', t('deploy.needCredentials'));
  }
  const pollMs = Number(a['poll-ms']);
  const waitSeconds = Number(a['wait-seconds']);
  if (!(pollMs > 0) || !(waitSeconds > 0)) throw new DeployError('CONFIG_INVALID', 'read flags', '--poll-ms and --wait-seconds must be positive numbers');
  const api = createScfClient({
    secretId,
    secretKey,
    token: env.TENCENTCLOUD_SESSIONTOKEN || undefined,
    region: config.region,
    endpoint: a.endpoint ?? env.TENCENTCLOUD_SCF_ENDPOINT,
  });
  console.log(t('deploy.deploying'));
  const outcomes = await executePlan(api, plan, {
    pollMs,
    maxPolls: Math.max(1, Math.ceil((waitSeconds * 1000) / pollMs)),
    log: (line) => console.log(line),
  });
  console.log(t('deploy.done', { outcomes: outcomes.map((o) => `${o.name} ${o.action}`).join(', ') }));
  const urls = formatUrls(outcomes, config.environment);
  if (urls) console.log('\n' + urls);
  if (a['urls-out']) {
    writeFileSync(a['urls-out'], JSON.stringify(Object.fromEntries(outcomes.filter((o) => o.url).map((o) => [o.name, o.url])), null, 2) + '\n');
    console.log(t('deploy.wroteUrls', { file: a['urls-out'] }));
  }
  return 0;
}

runDeployCommand('deploy:scf', () => main(process.argv.slice(2), process.env));
