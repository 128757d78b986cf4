/**
 * Secret hygiene: run the demo (`scripts/demo.ts --verbose`, as is) and a payment loop, the same in
 * IDENTITY_MODE=session, and a small chaos run (flow.ts) with every log line, all emulator and
 * simulator output and every client answer captured; no private key, APIv3 key, app secret or
 * session secret is in them, nor — by value — a session_key WeChat issued, an invocation token a
 * function used, or the session token login issued (that one belongs in login's answer only).
 */
import { spawn } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { EXTRA_SECRETS } from './extra-secrets';
import type { Observed } from './flow';

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

/** Secrets that exist only in flight, seen by the flow's recorder. */
function observedFragments(o: Observed): Array<[string, string]> {
  return [
    ...o.sessionKeys.map((k): [string, string] => ['a session_key', k]),
    ...o.invocationTokens.map((t): [string, string] => ['an invocation token', t]),
    ['the session token', o.sessionToken],
    // The MAC alone is what makes a token: it must not travel without the rest either.
    ['the session token', o.sessionToken.split('.')[2] ?? o.sessionToken],
  ];
}

function leaks(output: string, creds: Creds, observed?: Observed): string[] {
  const fragments = [...secretFragments(creds), ...(observed ? observedFragments(observed) : [])];
  const found = fragments.filter(([, fragment]) => output.includes(fragment)).map(([what]) => what);
  if (/PRIVATE KEY/.test(output)) found.push('a PEM private key header');
  // The per-invocation API token lives only in the function's environment.
  if (/WX_API_TOKEN|wxCloudApiToken/.test(output)) found.push('the invocation token');
  return [...new Set(found)];
}

// The two runs are separate processes with their own data dirs and ports: run side by side, not one after the other.
it.concurrent('the payment loop, the session-mode loop and a chaos run (12 orders, one crash): nothing secret in logs, emulator output or answers', async () => {
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
    // The in-flight secrets were really seen (so their absence means something), and none is in the output.
    const observed = JSON.parse(readFileSync(join(dataDir, 'observed.json'), 'utf8')) as Observed;
    expect(observed.sessionKeys.length).toBeGreaterThan(0);
    expect(observed.invocationTokens.length).toBeGreaterThan(2);
    expect(observed.sessionToken).toMatch(/^v1\.[\w-]+\.[\w-]{43}$/);
    expect(output).toMatch(/answer createOrder \(session\): .*paySign/);
    expect(leaks(output, creds, observed)).toEqual([]);
    // login's answer holds the token (that is its job) and nothing else secret.
    const loginAnswers = readFileSync(join(dataDir, 'session-answers.txt'), 'utf8');
    expect(loginAnswers).toContain(observed.sessionToken);
    expect(leaks(loginAnswers, creds, { ...observed, sessionToken: 'not-looked-for-here' })).toEqual([]);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

it.concurrent('npm run demo -- --verbose: nothing secret in its output', async () => {
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
  const observed: Observed = { sessionKeys: ['c2Vzc2lvbmtleXNlc3Npb25rZQ=='], invocationTokens: ['tok_abcdefghijklmnopqrstuvwxyz0123'], sessionToken: 'v1.eyJvIjoxfQ.MACMACMACMACMACMACMACMACMACMACMACMACMACMACM' };
  expect(leaks('log c2Vzc2lvbmtleXNlc3Npb25rZQ== end', creds, observed)).toEqual(['a session_key']);
  expect(leaks('{"t":"tok_abcdefghijklmnopqrstuvwxyz0123"}', creds, observed)).toEqual(['an invocation token']);
  expect(leaks('Bearer v1.eyJvIjoxfQ.MACMACMACMACMACMACMACMACMACMACMACMACMACMACM', creds, observed)).toEqual(['the session token']);
  expect(leaks('mac MACMACMACMACMACMACMACMACMACMACMACMACMACMACM', creds, observed)).toEqual(['the session token']);
});
