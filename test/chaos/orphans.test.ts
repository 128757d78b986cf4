/**
 * A SIGKILLed CloudBase emulator must not leave function instances running: an orphaned instance
 * would go on working (and writing) behind the restarted emulator. Seen in a 2,000-order chaos run
 * (a queryOrder instance outlived its emulator for minutes). Linux: children found through /proc.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startCloudbaseChild } from '../../scripts/local/cloudbase-child';

jest.setTimeout(60_000);

function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so split after the last ')'.
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
    } catch {
      return false;
    }
  }).map(Number);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('function instances exit when the emulator process is SIGKILLed mid-invocation', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-orphans-'));
  const functionsDir = join(dir, 'functions');
  mkdirSync(join(functionsDir, 'hang'), { recursive: true });
  // Busy with a long invocation and holding a timer, like a reconcile waiting on the network.
  // It marks the moment the invocation runs: killing the emulator before that would test an idle
  // instance, which exits by itself once its IPC channel closes (the race that hid this bug).
  const started = join(dir, 'invocation-started');
  writeFileSync(
    join(functionsDir, 'hang', 'index.js'),
    `exports.main = () => { require('fs').writeFileSync(${JSON.stringify(started)}, ''); return new Promise((r) => setTimeout(r, 120000)); };\n`,
  );
  const emulator = await startCloudbaseChild({ dataDir: dir, port: 0, envId: 'orphan-env', functionsDir, functions: { hang: { timeoutMs: 100_000 } }, routes: {}, timers: false, log: () => undefined });
  try {
    fetch(`${emulator.url}/functions/hang`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"data":{},"openid":"oORPHAN"}' }).catch(() => undefined);
    const pid = emulator.pid() as number;
    for (let i = 0; i < 400 && !existsSync(started); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(started)).toBe(true);
    const workers = childrenOf(pid);
    expect(workers.length).toBeGreaterThan(0);
    await emulator.kill('SIGKILL');
    for (let i = 0; i < 400 && workers.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
    const survivors = workers.filter(alive);
    for (const w of survivors) process.kill(w, 'SIGKILL'); // clean up before failing
    expect(survivors).toEqual([]);
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
