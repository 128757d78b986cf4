/**
 * npm run deploy:cloud -- [--dry-run] [--config deploy.cloud.json] [--env-id ENV] [--region ap-shanghai]
 *   [--functions-dir cloudfunctions] [--merchant-cert apiclient_cert.pem] [--cloudbaserc cloudbaserc.json]
 *
 * Deploys the built functions, their environment, queryOrder's timer, payNotify's HTTP access path,
 * the collections, their indexes and security rules to a WeChat Cloud (CloudBase) environment with
 * the official @cloudbase/manager-node. The doctor's checks run first; a configuration it rejects is
 * never deployed. --dry-run reads the environment and prints the plan as a diff, changing nothing.
 * --cloudbaserc FILE writes a cloudbaserc.json for `tcb fn deploy` (no secret values) and stops.
 *
 * Credentials: TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY (+ TENCENTCLOUD_SESSIONTOKEN), a CAM key
 * allowed to manage the environment (QcloudTCBFullAccess).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { applyCloudPlan } from './deploy/cloud/apply';
import { buildCloudbaseRc, secretNames } from './deploy/cloud/cloudbaserc';
import { loadCloudConfig } from './deploy/cloud/config';
import { buildDesired } from './deploy/cloud/desired';
import { observe } from './deploy/cloud/observe';
import { cloudApiFromEnv, loadBundles } from './deploy/cloud/pipeline';
import { buildCloudPlan, formatCloudPlan, summary } from './deploy/cloud/plan';
import { runDeployCommand } from './deploy/errors';
import { DEPLOY_OPTIONS, refuseUnlessDoctorAccepts } from './deploy/preflight';
import { cliArgs, t } from './i18n';

const log = (line: string) => console.log(line);

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values: a } = parseArgs({
    args: cliArgs(argv, env),
    options: {
      ...DEPLOY_OPTIONS,
      'env-id': { type: 'string' },
      cloudbaserc: { type: 'string' },
    },
    strict: true,
  });
  const configFile = a.config ?? env.DEPLOY_CLOUD_CONFIG;
  const config = loadCloudConfig({ file: configFile, env, flags: { envId: a['env-id'], region: a.region } });
  const bundles = loadBundles(a['functions-dir']);

  await refuseUnlessDoctorAccepts(
    { environment: config.environment, shell: env, region: config.region, merchantCertArg: a['merchant-cert'] },
    log,
    `npm run doctor -- --cloud${configFile ? ` --config ${configFile}` : ''}`,
  );
  const desired = buildDesired(bundles, config);

  if (a.cloudbaserc) {
    writeFileSync(a.cloudbaserc, JSON.stringify(buildCloudbaseRc(desired), null, 2) + '\n');
    const secrets = secretNames(desired);
    log(t('deploy.cloud.wroteRc', { file: a.cloudbaserc }));
    if (secrets.length) log(t('deploy.cloud.rcSecrets', { names: secrets.join(', ') }));
    log(t('deploy.cloud.bindPath', { path: desired.access.path }));
    return 0;
  }

  const api = cloudApiFromEnv(env, config, '--dry-run needs them too: it reads the environment to diff against');
  const observed = await observe(api, desired, log);
  const plan = buildCloudPlan(desired, observed);
  log('');
  log(formatCloudPlan(plan));
  if (a['dry-run']) {
    log(t('deploy.dryRunCloud'));
    return 0;
  }
  log(t('deploy.deploying'));
  const { done } = await applyCloudPlan(api, plan, log);
  log(t('deploy.cloud.done', { what: done.length === 0 ? t('deploy.cloud.upToDate') : t('deploy.cloud.changes', { count: done.length }), summary: summary(plan) }));
  log(t('deploy.cloud.notifies', { url: desired.access.url, path: desired.access.path }));
  log(t('deploy.cloud.openapi'));
  return 0;
}

runDeployCommand('deploy:cloud', () => main(process.argv.slice(2), process.env));
