/**
 * The doctor's configuration checks as one call, shared by `npm run doctor` and both deploys: the
 * deploys print the findings and refuse to touch the cloud when any is an error, so a configuration
 * the doctor rejects is never deployed (with or without --dry-run).
 */
import { existsSync, readFileSync } from 'node:fs';
import { runChecks, type DoctorInput, type Finding } from './doctor';
import { mergeSsmFindings, prepareSsmReferences } from './doctor-ssm';
import { DeployError } from './errors';
import { CLI_TABLES, t, type CliKey } from '../i18n';

export interface PreflightInput {
  /** The function environment as the deploy would send it. */
  environment: Record<string, string>;
  /** The deploying machine's env (credentials for fetching ssm: references). */
  shell: NodeJS.ProcessEnv;
  region?: string;
  merchantCert?: string;
  scf?: DoctorInput['scf'];
}

export async function checkConfiguration(input: PreflightInput): Promise<Finding[]> {
  const ssm = await prepareSsmReferences(input.environment, input.shell, input.region);
  return mergeSsmFindings(ssm, runChecks({ env: ssm.env, merchantCert: input.merchantCert, scf: input.scf }));
}

const MARK: Record<Finding['level'], string> = { ok: 'ok   ', warn: 'WARN ', error: 'ERROR' };

/** A subject in the CLI's language: variable names stay as they are, the few topics are translated. */
function subjectText(subject: string): string {
  const key = `doctor.subject.${subject}`;
  return key in CLI_TABLES['zh-CN'] ? t(key as CliKey) : subject;
}

// The level marks (ok/WARN/ERROR) and subjects stay fixed in every language: scripts grep them.
export function formatFindings(findings: Finding[]): string[] {
  return findings.map((f) => `${MARK[f.level]} ${subjectText(f.subject)}: ${f.message}`);
}

/** Prints the problems (errors and warnings) and throws when the doctor rejects the configuration. */
export function refuseRejected(findings: Finding[], log: (line: string) => void, doctorCommand: string): void {
  const problems = findings.filter((f) => f.level !== 'ok');
  const errors = findings.filter((f) => f.level === 'error');
  log(t('doctor.rejectedSummary', { errors: errors.length, warnings: problems.length - errors.length }));
  for (const line of formatFindings(problems)) log('  ' + line);
  if (errors.length > 0) {
    throw new DeployError(
      'CONFIG_REJECTED',
      'doctor',
      t('doctor.rejected', { count: errors.length, subjects: [...new Set(errors.map((e) => e.subject))].join(', '), command: doctorCommand }),
    );
  }
}

/** The flags both deploys take (parseArgs options): --dry-run, --config, --region, --functions-dir, --merchant-cert. */
export const DEPLOY_OPTIONS = {
  'dry-run': { type: 'boolean', default: false },
  config: { type: 'string' },
  region: { type: 'string' },
  'functions-dir': { type: 'string' },
  'merchant-cert': { type: 'string' },
} as const;

/**
 * What both deploys do before planning: the doctor's checks on the environment they would send
 * (the merchant certificate from --merchant-cert or WXPAY_MERCHANT_CERT), refusing when it rejects it.
 */
export async function refuseUnlessDoctorAccepts(
  input: { environment: Record<string, string>; shell: NodeJS.ProcessEnv; region?: string; merchantCertArg?: string; scf?: DoctorInput['scf'] },
  log: (line: string) => void,
  doctorCommand: string,
): Promise<void> {
  const merchantCert = readMerchantCert(input.merchantCertArg ?? input.shell.WXPAY_MERCHANT_CERT);
  const findings = await checkConfiguration({ environment: input.environment, shell: input.shell, region: input.region, merchantCert, scf: input.scf });
  refuseRejected(findings, log, doctorCommand);
}

/** --merchant-cert: PEM text or a path to apiclient_cert.pem (or the merchant public key). */
export function readMerchantCert(arg: string | undefined): string | undefined {
  if (!arg) return undefined;
  if (arg.includes('-----BEGIN')) return arg;
  if (existsSync(arg)) return readFileSync(arg, 'utf8');
  throw new DeployError('CONFIG_INVALID', 'read merchant certificate', `${arg} does not exist`);
}
