/**
 * npm run doctor -- [--config deploy.scf.json] [--merchant-cert apiclient_cert.pem] [--strict]
 *
 * Checks the function environment (the config file's "environment" plus WX_APPID, WXPAY_* from
 * process env, as deploy:scf would send them) before deploying. Exit 1 on any error (and on
 * warnings with --strict). Values of secrets are never printed. `ssm:` references are fetched with
 * TENCENTCLOUD_SECRETID/SECRETKEY (+ region) when set, else reported as resolved at runtime.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { collectEnvironment, readConfigFile } from './deploy/config';
import { runChecks, type Finding } from './deploy/doctor';
import { mergeSsmFindings, prepareSsmReferences } from './deploy/doctor-ssm';
import { DeployError } from './deploy/errors';

const MARK: Record<Finding['level'], string> = { ok: 'ok   ', warn: 'WARN ', error: 'ERROR' };

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values: a } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      'merchant-cert': { type: 'string' },
      strict: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const configFile = a.config ?? env.DEPLOY_SCF_CONFIG;
  const { raw, baseDir } = readConfigFile(configFile);
  // A deploy config means Tencent SCF, where function URLs are on unless the file turns them off.
  const scf = configFile ? { functionUrls: raw.functionUrls !== false } : undefined;
  const environment = collectEnvironment(raw, baseDir, env);
  let merchantCert: string | undefined;
  const certArg = a['merchant-cert'] ?? env.WXPAY_MERCHANT_CERT;
  if (certArg) {
    if (certArg.includes('-----BEGIN')) merchantCert = certArg;
    else if (existsSync(certArg)) merchantCert = readFileSync(certArg, 'utf8');
    else throw new DeployError('CONFIG_INVALID', 'read merchant certificate', `${certArg} does not exist`);
  }
  // ssm: references: fetched with the shell's Tencent Cloud credentials when present, else reported as resolved at runtime.
  const region = (raw.region as string | undefined) ?? env.TENCENTCLOUD_REGION;
  const ssm = await prepareSsmReferences(environment, env, region);
  const findings = mergeSsmFindings(ssm, runChecks({ env: ssm.env, merchantCert, scf }));
  for (const f of findings) console.log(`${MARK[f.level]} ${f.subject}: ${f.message}`);
  const errors = findings.filter((f) => f.level === 'error').length;
  const warnings = findings.filter((f) => f.level === 'warn').length;
  console.log(`\n${errors} error(s), ${warnings} warning(s)`);
  if (errors > 0) {
    console.log('Fix the errors above before deploying.');
    return 1;
  }
  if (a.strict && warnings > 0) return 1;
  console.log('Configuration looks ready to deploy.');
  return 0;
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`doctor failed: ${e instanceof DeployError ? `[${e.code}] ${e.message}` : (e as Error).message}`);
    process.exitCode = 1;
  },
);
