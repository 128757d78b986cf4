/**
 * The doctor and `ssm:` references (lib/ssm). With Tencent Cloud credentials in the shell
 * (TENCENTCLOUD_SECRETID/SECRETKEY[/SESSIONTOKEN] + region) each reference is fetched with the
 * functions' own code and the value is checked like any other; without them, the reference is
 * reported as "resolved at runtime, not checked here" and stands in with a placeholder so the
 * rest of the configuration is still checked. Values are never printed.
 */
import { generateKeyPairSync } from 'node:crypto';
import { ConfigError } from '../../lib/config';
import { ssmFetcherFrom } from '../../lib/ssm/env';
import { describeReference, findSecretReferences, SECRET_VARIABLES, type SecretReference } from '../../lib/ssm/reference';
import { createSecretResolver } from '../../lib/ssm/resolver';
import type { Finding } from './doctor';
import { t } from '../i18n';

type Env = Record<string, string | undefined>;

/** A ConfigError's message without its leading variable name (the finding's subject already says it). */
const problem = (e: ConfigError) => (e.message.startsWith(`${e.variable} `) ? e.message.slice(e.variable.length + 1) : e.message);

export interface SsmPreparation {
  /** The environment to check: references replaced by values, or by placeholders when unresolved. */
  env: Env;
  findings: Finding[];
  /** Variables whose own findings are meaningless (placeholder or failed fetch): the caller drops them. */
  unchecked: Set<string>;
}

let placeholderKey: string | undefined;
function placeholder(variable: string): string {
  if (variable === 'WXPAY_PRIVATE_KEY') {
    placeholderKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    return placeholderKey;
  }
  if (variable === 'WXPAY_APIV3_KEY') return 'p'.repeat(32);
  return 'placeholder-'.padEnd(48, 'p');
}

/** `shell`: where the deploying machine's credentials, region and TENCENTCLOUD_SSM_ENDPOINT come from. */
export async function prepareSsmReferences(env: Env, shell: Env, region: string | undefined): Promise<SsmPreparation> {
  const findings: Finding[] = [];
  const unchecked = new Set<string>();
  const out: Env = { ...env };
  const refs: SecretReference[] = [];
  for (const variable of SECRET_VARIABLES) {
    try {
      refs.push(...findSecretReferences({ [variable]: env[variable] }));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      findings.push({ level: 'error', subject: variable, message: problem(e) });
      unchecked.add(variable);
      out[variable] = placeholder(variable);
    }
  }
  if (refs.length === 0) return { env: out, findings, unchecked };

  const creds: Env = {
    TENCENTCLOUD_SECRETID: shell.TENCENTCLOUD_SECRETID,
    TENCENTCLOUD_SECRETKEY: shell.TENCENTCLOUD_SECRETKEY,
    TENCENTCLOUD_SESSIONTOKEN: shell.TENCENTCLOUD_SESSIONTOKEN,
    TENCENTCLOUD_REGION: region ?? shell.TENCENTCLOUD_REGION,
    TENCENTCLOUD_SSM_ENDPOINT: shell.TENCENTCLOUD_SSM_ENDPOINT,
  };
  const canFetch = Boolean(creds.TENCENTCLOUD_SECRETID && creds.TENCENTCLOUD_SECRETKEY && creds.TENCENTCLOUD_REGION);
  findings.push({
    level: 'ok',
    subject: 'SSM references',
    message: t('doctor.ssm.role', { names: refs.map((r) => r.variable).join(', ') }),
  });
  // One resolver: several variables naming the same secret share one call.
  const resolver = createSecretResolver({ fetchSecret: ssmFetcherFrom(creds) });
  for (const ref of refs) {
    const reference = env[ref.variable] as string;
    if (!canFetch) {
      findings.push({
        level: 'warn',
        subject: ref.variable,
        message: t('doctor.ssm.runtime', { reference }),
      });
      unchecked.add(ref.variable);
      out[ref.variable] = placeholder(ref.variable);
      continue;
    }
    try {
      const { env: resolved } = await resolver.resolve({ ...creds, [ref.variable]: reference });
      out[ref.variable] = resolved[ref.variable];
      findings.push({ level: 'ok', subject: ref.variable, message: t('doctor.ssm.fetched', { reference, what: describeReference(ref) }) });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      findings.push({ level: 'error', subject: ref.variable, message: problem(e) });
      unchecked.add(ref.variable);
      out[ref.variable] = placeholder(ref.variable);
    }
  }
  return { env: out, findings, unchecked };
}

/** The findings of runChecks on a prepared env, minus those about placeholders, after the SSM findings. */
export function mergeSsmFindings(prep: SsmPreparation, checked: Finding[]): Finding[] {
  return [...prep.findings, ...checked.filter((f) => !prep.unchecked.has(f.subject))];
}
