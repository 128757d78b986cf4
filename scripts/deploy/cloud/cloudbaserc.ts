/**
 * cloudbaserc.json for teams that deploy with the CloudBase CLI (`tcb fn deploy`), generated from the
 * same desired state as deploy:cloud. It never holds a secret value: every variable whose value the
 * deploy plan would mask is written as the CLI's dynamic variable `{{env.NAME}}` (config version
 * 2.0), which tcb fills from a git-ignored `.env` / `.env.local` file (or the CI's environment file).
 * `ssm:` references are names of secrets, not secrets, and are written as they are.
 */
import { maskValue } from '../config';
import type { DesiredState } from './desired';

export interface CloudbaseRc {
  version: '2.0';
  envId: string;
  functionRoot: string;
  functions: Array<{
    name: string;
    handler: string;
    runtime: string;
    timeout: number;
    memorySize: number;
    installDependency: false;
    envVariables: Record<string, string>;
    triggers?: Array<{ name: string; type: 'timer'; config: string }>;
  }>;
}

export function isSecretValue(name: string, value: string): boolean {
  return maskValue(name, value) !== value;
}

export function buildCloudbaseRc(desired: DesiredState, functionRoot = './cloudfunctions'): CloudbaseRc {
  return {
    version: '2.0',
    envId: desired.envId,
    functionRoot,
    functions: desired.functions.map((f) => ({
      name: f.name,
      handler: f.handler,
      runtime: f.runtime,
      timeout: f.timeout,
      memorySize: f.memorySize,
      installDependency: false,
      envVariables: Object.fromEntries(
        Object.keys(f.environment)
          .sort()
          .map((k) => [k, isSecretValue(k, f.environment[k]) ? `{{env.${k}}}` : f.environment[k]]),
      ),
      ...(f.timers.length ? { triggers: f.timers.map((t) => ({ name: t.name, type: 'timer' as const, config: t.cron })) } : {}),
    })),
  };
}

/** The variables a `.env` file must provide for the generated cloudbaserc.json (names only). */
export function secretNames(desired: DesiredState): string[] {
  const env = desired.functions[0]?.environment ?? {};
  return Object.keys(env)
    .filter((k) => isSecretValue(k, env[k]))
    .sort();
}
