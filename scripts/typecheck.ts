/**
 * `npm run typecheck` (the first half of `npm test`): the three TypeScript projects — functions, lib,
 * emulators, scripts and tests; the mini-program; the console's web app — checked side by side
 * instead of one after the other (the first takes most of the time, the other two fit beside it on
 * a second core). Each project's output is printed whole, in this order, once all have finished;
 * the exit code is 1 when any of them found an error (tsc's own messages say which and where).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const TSC = require.resolve('typescript/bin/tsc');
const PROJECTS = ['tsconfig.json', 'miniprogram/tsconfig.json', 'emulator/console/web/tsconfig.json'];

function check(project: string): Promise<{ project: string; code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSC, '--noEmit', '-p', project], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', (err) => resolve({ project, code: 1, output: `${output}${err.message}\n` }));
    child.on('close', (code, signal) => resolve({ project, code: code ?? 1, output: signal ? `${output}tsc ended by ${signal}\n` : output }));
  });
}

async function main(): Promise<void> {
  const results = await Promise.all(PROJECTS.map(check));
  for (const r of results) process.stdout.write(r.output);
  // tsc has printed what is wrong and where; the exit code is all that is added.
  if (results.some((r) => r.code !== 0)) process.exit(1);
}

void main();
