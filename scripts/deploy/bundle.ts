/**
 * Reads built function folders (`<functionsDir>/<name>/index.js|package.json|config.json`)
 * and turns each into an SCF code package. Only built output is shipped: index.ts and
 * node_modules stay home, because `npm run build` bundles everything into index.js.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createZip, type ZipEntry } from './zip';
import { DeployError } from './errors';

export interface TimerTrigger {
  name: string;
  /** 7 fields: second minute hour day month weekday year. */
  cron: string;
}

export interface FunctionBundle {
  name: string;
  dir: string;
  files: string[];
  zip: Buffer;
  sha256: string;
  timers: TimerTrigger[];
  /** Human-readable notes (e.g. index.ts newer than index.js). */
  warnings: string[];
}

const SHIPPED = ['index.js', 'package.json', 'config.json'] as const;
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/;

/** Validates a 7-field cron as SCF timers require (6-field crons are a classic mistake). */
export function checkCron(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 7) return `cron "${cron}" has ${fields.length} fields; SCF timers need 7 (second minute hour day month weekday year)`;
  return undefined;
}

export function readTimers(name: string, configJson: Buffer | undefined): TimerTrigger[] {
  if (!configJson) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(configJson.toString('utf8'));
  } catch (e) {
    throw new DeployError('BUNDLE_INVALID', `read ${name}/config.json`, `not valid JSON: ${(e as Error).message}`);
  }
  const triggers = (parsed as { triggers?: unknown }).triggers;
  if (triggers === undefined) return [];
  if (!Array.isArray(triggers)) throw new DeployError('BUNDLE_INVALID', `read ${name}/config.json`, '"triggers" must be an array');
  const timers: TimerTrigger[] = [];
  for (const t of triggers as Array<Record<string, unknown>>) {
    if (t.type !== 'timer') continue;
    if (typeof t.name !== 'string' || !/^[A-Za-z0-9_-]{1,100}$/.test(t.name) || typeof t.config !== 'string') {
      throw new DeployError('BUNDLE_INVALID', `read ${name}/config.json`, 'a timer trigger needs "name" (letters, digits, - and _) and "config" (cron string)');
    }
    const problem = checkCron(t.config);
    if (problem) throw new DeployError('BUNDLE_INVALID', `read ${name}/config.json`, problem);
    timers.push({ name: t.name, cron: t.config.trim().split(/\s+/).join(' ') });
  }
  return timers;
}

export function bundleFunction(functionsDir: string, name: string): FunctionBundle {
  const dir = join(functionsDir, name);
  if (!FUNCTION_NAME.test(name)) {
    throw new DeployError('BUNDLE_INVALID', `bundle ${name}`, 'SCF function names are 2-60 letters, digits, - and _, starting with a letter');
  }
  const indexJs = join(dir, 'index.js');
  if (!existsSync(indexJs)) {
    throw new DeployError('BUNDLE_MISSING', `bundle ${name}`, `${indexJs} not found: run \`npm run build\` first`);
  }
  const entries: ZipEntry[] = [];
  for (const file of SHIPPED) {
    const path = join(dir, file);
    if (existsSync(path)) entries.push({ name: file, data: readFileSync(path) });
  }
  const warnings: string[] = [];
  if (!entries.some((e) => e.name === 'package.json')) warnings.push('no package.json: SCF will run index.js as CommonJS');
  const indexTs = join(dir, 'index.ts');
  if (existsSync(indexTs) && statSync(indexTs).mtimeMs > statSync(indexJs).mtimeMs) {
    warnings.push('index.ts is newer than index.js: did you forget `npm run build`?');
  }
  const zip = createZip(entries);
  return {
    name,
    dir,
    files: entries.map((e) => e.name),
    zip,
    sha256: createHash('sha256').update(zip).digest('hex'),
    timers: readTimers(name, entries.find((e) => e.name === 'config.json')?.data),
    warnings,
  };
}

/** Every folder holding an index.js (or index.ts, so a missing build is reported, not skipped). */
export function listFunctionNames(functionsDir: string): string[] {
  if (!existsSync(functionsDir)) {
    throw new DeployError('BUNDLE_MISSING', 'list functions', `functions directory ${functionsDir} does not exist`);
  }
  return readdirSync(functionsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules')
    .filter((d) => ['index.js', 'index.ts'].some((f) => existsSync(join(functionsDir, d.name, f))))
    .map((d) => d.name)
    .sort();
}
