/**
 * Secret hygiene: run the demo (`scripts/demo.ts --verbose`, as is) and a payment loop + small chaos
 * run (flow.ts) with every log line, all emulator and simulator output and every client answer
 * captured; no private key, APIv3 key, app secret, session secret or per-invocation token is in them.
 */
import { spawn } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { EXTRA_SECRETS } from './extra-secrets';

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '..', '..');
const TSX = require.resolve('tsx/cjs');

interface Creds { apiV3Key: string; merchant: { privateKey: string }; platform: { privateKey: string } }

function run(script: string, args: string[], env: NodeJS.ProcessEnv, whileRunning?: () => void): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--require', TSX, join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const poll = whileRunning ? setInterval(whileRunning, 20) : undefined;
    child.on('exit', (code) => {
      if (poll) clearInterval(poll);
      done({ code, output });
    });
  });
}

/** Every fragment that would give a secret away: each PEM body line, and the key strings whole. */
function secretFragments(creds: Creds): Array<[string, string]> {
  // 24-character pieces at every multiple of 24 of each PEM body line: any leaked run of 48 or more
  // characters of a line contains one (a random 24-character base64 match is ~2^-144).
  const pieces = (pem: string) => pem.split('\n').map((l) => l.trim()).filter((l) => !l.startsWith('-----'))
    .flatMap((l) => Array.from({ length: Math.floor(l.length / 24) }, (_x, k) => l.slice(k * 24, k * 24 + 24)));
  return [
    ...pieces(creds.merchant.privateKey).map((p): [string, string] => ['merchant private key', p]),
    ...pieces(creds.platform.privateKey).map((p): [string, string] => ['platform private key', p]),
    ['APIv3 key', creds.apiV3Key],
    ['APIv3 key (base64)', Buffer.from(creds.apiV3Key).toString('base64')],
    ['session token secret', EXTRA_SECRETS.SESSION_TOKEN_SECRET],
    ['app secret', EXTRA_SECRETS.WX_APP_SECRET],
  ];
}

function leaks(output: string, creds: Creds): string[] {
  const found = secretFragments(creds).filter(([, fragment]) => output.includes(fragment)).map(([what]) => what);
  if (/PRIVATE KEY/.test(output)) found.push('a PEM private key header');
  // The per-invocation API token lives only in the function's environment.
  if (/WX_API_TOKEN|wxCloudApiToken/.test(output)) found.push('the invocation token');
  return [...new Set(found)];
}

it('the payment loop and a chaos run (12 orders, one crash): nothing secret in logs, emulator output or answers', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-hygiene-'));
  try {
    const { code, output } = await run('test/hygiene/flow.ts', [dataDir], {});
    const creds = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as Creds;
    const chaosCreds = JSON.parse(readFileSync(join(dataDir, 'chaos', 'credentials.json'), 'utf8')) as Creds;
    // The capture really holds what it should: function logs, emulator output, client answers.
    expect([code, output.split('\n').filter((l) => /chaos violation:|flow failed:/.test(l))]).toEqual([0, []]);
    expect(output).toMatch(/order\.created/);
    expect(output).toMatch(/CloudBase emulator listening/);
    expect(output).toMatch(/answer createOrder: .*paySign/);
    expect(output).toMatch(/chaos violations: 0/);
    expect(leaks(output, creds)).toEqual([]);
    expect(leaks(output, chaosCreds)).toEqual([]);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

it('npm run demo -- --verbose: nothing secret in its output', async () => {
  // The demo makes its own temp data dir and deletes it; we point TMPDIR at ours and copy the
  // credentials while it runs, to know exactly which secrets to look for.
  const tmp = mkdtempSync(join(tmpdir(), 'wxcloud-pay-hygiene-demo-'));
  let creds: Creds | undefined;
  try {
    const { code, output } = await run('scripts/demo.ts', ['--verbose'], { TMPDIR: tmp }, () => {
      if (creds) return;
      for (const dir of readdirSync(tmp)) {
        const file = join(tmp, dir, 'credentials.json');
        try {
          if (existsSync(file)) creds = JSON.parse(readFileSync(file, 'utf8')) as Creds;
        } catch {
          // written atomically, but it may vanish at the end of the demo: try again
        }
      }
    });
    expect(code).toBe(0);
    expect(creds).toBeDefined();
    expect(output).toMatch(/order\.created|notify\.applied/);
    expect(leaks(output, creds as Creds)).toEqual([]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

it('the detector itself flags each kind of secret', () => {
  const { generateKeyPairSync } = require('crypto') as typeof import('crypto');
  const pem = (generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  const creds: Creds = { apiV3Key: 'k'.repeat(32), merchant: { privateKey: pem }, platform: { privateKey: pem } };
  const bodyLine = pem.split('\n')[5];
  expect(leaks(`log ${bodyLine.slice(3, 51)}`, creds)).toEqual(['merchant private key', 'platform private key']);
  expect(leaks(`log ${bodyLine}`, creds)).toEqual(['merchant private key', 'platform private key']);
  expect(leaks(`{"key":"${'k'.repeat(32)}"}`, creds)).toEqual(['APIv3 key']);
  expect(leaks(EXTRA_SECRETS.WX_APP_SECRET, creds)).toEqual(['app secret']);
  expect(leaks('-----BEGIN PRIVATE KEY-----', creds)).toEqual(['a PEM private key header']);
  expect(leaks('WX_API_TOKEN=abc', creds)).toEqual(['the invocation token']);
});
