/**
 * One dev merchant per test run. Every end-to-end stack starts in a fresh data dir, and without a
 * credentials.json there it generates two RSA-2048 key pairs (~0.5 s of CPU, over 1 s wall on a
 * loaded 2-core machine) — about forty times a run. jest's globalSetup generates one set per run
 * (createRunCredentials) and the harness copies it into each new data dir (seedRunCredentials), so
 * the stacks still start from their own files, made fresh for this run.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CREDENTIALS_FILE, generateCredentials, loadOrCreateCredentials, type DevCredentials } from '../../emulator/credentials';

const ENV = 'WXCLOUD_PAY_TEST_RUN_CREDENTIALS';

/** globalSetup: this run's credentials file; the path reaches the test workers through the environment. */
export function createRunCredentials(): void {
  const dir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-run-credentials-'));
  loadOrCreateCredentials(dir);
  process.env[ENV] = join(dir, CREDENTIALS_FILE);
}

/** globalTeardown: the run's file goes. */
export function removeRunCredentials(): void {
  const file = process.env[ENV];
  if (file) rmSync(dirname(file), { recursive: true, force: true });
}

/** A new data dir gets this run's credentials (mode 0600 kept); without a run file (a script, not jest) nothing happens. */
export function seedRunCredentials(dataDir: string): void {
  const file = process.env[ENV];
  const target = join(dataDir, CREDENTIALS_FILE);
  if (!file || !existsSync(file) || existsSync(target)) return;
  copyFileSync(file, target);
}

/**
 * This run's dev merchant for an in-process world (a simulator and a client, no data dir); outside
 * jest (no run file), a new one. A test that needs a merchant of its own (a wrong key, another
 * platform mode) still generates it.
 */
export function runCredentials(): DevCredentials {
  const file = process.env[ENV];
  return file && existsSync(file) ? loadOrCreateCredentials(dirname(file)) : generateCredentials();
}
