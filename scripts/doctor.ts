/**
 * npm run doctor -- [--config deploy.scf.json] [--merchant-cert apiclient_cert.pem] [--strict]
 * npm run doctor -- --cloud [--config deploy.cloud.json] [--live [--env-id ENV] [--functions-dir cloudfunctions]]
 *
 * Checks the function environment (the config file's "environment" plus WX_APPID, WXPAY_* from
 * process env, as the deploys would send them) before deploying. Exit 1 on any error (and on
 * warnings with --strict). Values of secrets are never printed. `ssm:` references are fetched with
 * TENCENTCLOUD_SECRETID/SECRETKEY (+ region) when set, else reported as resolved at runtime.
 *
 * --cloud: the configuration is for WeChat Cloud (deploy:cloud), not SCF. --live also reads the
 * WeChat Cloud environment, read-only, with the Tencent Cloud key in the shell, and checks runtimes,
 * timeouts, variables (names only), the timer, the notify HTTP path, collections, indexes and
 * security rules against the configuration and the local build.
 */
import { parseArgs } from 'node:util';
import { loadCloudConfig } from './deploy/cloud/config';
import { buildDesired } from './deploy/cloud/desired';
import { liveFindings } from './deploy/cloud/doctor-live';
import { observe } from './deploy/cloud/observe';
import { cloudApiFromEnv, loadBundles } from './deploy/cloud/pipeline';
import { buildCloudPlan } from './deploy/cloud/plan';
import { collectEnvironment, readConfigFile } from './deploy/config';
import type { Finding } from './deploy/doctor';
import { DeployError } from './deploy/errors';
import { checkConfiguration, formatFindings, readMerchantCert } from './deploy/preflight';
import { cliArgs, t } from './i18n';

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values: a } = parseArgs({
    args: cliArgs(argv, env),
    options: {
      config: { type: 'string' },
      'merchant-cert': { type: 'string' },
      strict: { type: 'boolean', default: false },
      cloud: { type: 'boolean', default: false },
      live: { type: 'boolean', default: false },
      'env-id': { type: 'string' },
      'functions-dir': { type: 'string' },
    },
    strict: true,
  });
  if (a.live && !a.cloud) throw new DeployError('CONFIG_INVALID', 'read flags', t('doctor.liveNeedsCloud'));
  const configFile = a.config ?? (a.cloud ? env.DEPLOY_CLOUD_CONFIG : env.DEPLOY_SCF_CONFIG);
  const { raw, baseDir } = readConfigFile(configFile);
  // An SCF deploy config means function URLs, which are on unless the file turns them off.
  const scf = configFile && !a.cloud ? { functionUrls: raw.functionUrls !== false } : undefined;
  const environment = collectEnvironment(raw, baseDir, env);
  const region = (raw.region as string | undefined) ?? env.TENCENTCLOUD_REGION;
  const findings: Finding[] = await checkConfiguration({ environment, shell: env, region, merchantCert: readMerchantCert(a['merchant-cert'] ?? env.WXPAY_MERCHANT_CERT), scf });

  if (a.live) {
    const config = loadCloudConfig({ file: configFile, env, flags: { envId: a['env-id'] } });
    const desired = buildDesired(loadBundles(a['functions-dir']), config);
    const api = cloudApiFromEnv(env, config, 'the live check reads the environment (read-only calls only)');
    findings.push(...liveFindings(buildCloudPlan(desired, await observe(api, desired))));
  }

  for (const line of formatFindings(findings)) console.log(line);
  const errors = findings.filter((f) => f.level === 'error').length;
  const warnings = findings.filter((f) => f.level === 'warn').length;
  console.log(t('doctor.summary', { errors, warnings }));
  if (errors > 0) {
    console.log(t(a.live ? 'doctor.fixLive' : 'doctor.fix'));
    return 1;
  }
  if (a.strict && warnings > 0) return 1;
  console.log(t(a.live ? 'doctor.liveOk' : 'doctor.ready'));
  return 0;
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(t('doctor.failed', { detail: e instanceof DeployError ? `[${e.code}] ${e.message}` : (e as Error).message }));
    process.exitCode = 1;
  },
);
