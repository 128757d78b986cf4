/**
 * Finds a Chromium for the console's browser tests and `npm run screenshots`, so `npm ci && npm test`
 * passes on a machine with no browser installed. In order:
 *   1. CHROMIUM_PATH, when set (it must exist);
 *   2. a system Chromium/Chrome on PATH or at the usual install paths;
 *   3. on Linux x64, the Chromium shipped inside the `@sparticuz/chromium` npm package (a devDependency:
 *      its brotli-compressed binary is unpacked once into the temp dir, no download at run time);
 *   4. on macOS/Windows, an installed Google Chrome or Microsoft Edge through playwright-core's `channel`.
 * None of these → BrowserNotFound, whose message says what to install.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { unpackPackagedChromium, packagedChromiumAvailable } from './packaged-chromium';

/** Keep Chromium off the network: without these it keeps trying Google's hosts. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const BROWSER_HELP = [
  'No Chromium found for the console browser tests. Any one of these fixes it:',
  '  - run `npm ci` on Linux x64 (the Chromium inside the @sparticuz/chromium devDependency is used);',
  '  - install Google Chrome or Microsoft Edge (macOS, Windows), or Chromium (`apt-get install chromium` on Debian/Ubuntu);',
  '  - set CHROMIUM_PATH to a Chromium or Chrome executable.',
].join('\n');

export class BrowserNotFound extends Error {
  readonly code = 'BROWSER_NOT_FOUND';
  constructor(detail?: string) {
    super(detail ? `${detail}\n${BROWSER_HELP}` : BROWSER_HELP);
    this.name = 'BrowserNotFound';
  }
}

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome'];

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export function systemChromium(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  for (const name of SYSTEM_NAMES) {
    const found = onPath(name);
    if (found) return found;
  }
  return SYSTEM_PATHS.find((p) => existsSync(p));
}

/** Where Chrome and Edge install themselves (the places playwright-core's `channel` looks). */
function channelPaths(channel: 'chrome' | 'msedge'): string[] {
  if (process.platform === 'darwin') {
    return [channel === 'chrome' ? '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome' : '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge'];
  }
  if (process.platform !== 'win32') return [];
  const suffix = channel === 'chrome' ? join('Google', 'Chrome', 'Application', 'chrome.exe') : join('Microsoft', 'Edge', 'Application', 'msedge.exe');
  return [process.env.LOCALAPPDATA, process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)']].filter((d): d is string => !!d).map((d) => join(d, suffix));
}

function installedChannels(): string[] {
  return (['chrome', 'msedge'] as const).filter((c) => channelPaths(c).some((p) => existsSync(p)));
}

type Choice =
  | { kind: 'path'; source: string; executablePath: string }
  | { kind: 'packaged' }
  | { kind: 'channel'; channels: string[] };

/** What would be launched, decided without launching or unpacking anything (cheap: used by jest's setup). */
export function chooseChromium(): Choice {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new BrowserNotFound(`CHROMIUM_PATH=${configured} does not exist.`);
    return { kind: 'path', source: 'CHROMIUM_PATH', executablePath: configured };
  }
  const system = systemChromium();
  if (system) return { kind: 'path', source: 'system', executablePath: system };
  if (packagedChromiumAvailable()) return { kind: 'packaged' };
  const channels = installedChannels();
  if (channels.length > 0) return { kind: 'channel', channels };
  throw new BrowserNotFound();
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const choice = chooseChromium();
  const base: LaunchOptions = { headless: true, ...options, args: [...CHROMIUM_ARGS, ...(options.args ?? [])] };
  if (choice.kind === 'path') return chromium.launch({ ...base, executablePath: choice.executablePath });
  if (choice.kind === 'packaged') {
    const unpacked = await unpackPackagedChromium();
    return chromium.launch({ ...base, executablePath: unpacked.executablePath, env: { ...process.env, ...unpacked.env, ...base.env } });
  }
  const failures: string[] = [];
  for (const channel of choice.channels) {
    try {
      return await chromium.launch({ ...base, channel });
    } catch (err) {
      failures.push(`${channel}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new BrowserNotFound(`No installed Chrome or Edge could be launched (${failures.join('; ')}).`);
}
