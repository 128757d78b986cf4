/**
 * The Chromium inside the `@sparticuz/chromium` npm package (Linux x64): `bin/chromium.br` is the
 * brotli-compressed headless-shell binary, `swiftshader.tar.br` the GL libraries it loads from its
 * own folder, `fonts.tar.br` a font, `al2023.tar.br` the NSS/expat libraries a bare box may lack.
 * We unpack them ourselves (not through the package's executablePath(), which writes straight into
 * /tmp/chromium and lets a second process start a half-written binary): into a folder named after
 * the package version, built under a temporary name and renamed into place, so concurrent jest
 * workers either see a complete browser or build their own and lose the rename race harmlessly.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompress } from 'node:zlib';

const unbrotli = promisify(brotliDecompress);

function packageRoot(): string | undefined {
  try {
    // build/cjs/index.cjs → the package folder (its package.json is not exported).
    return dirname(dirname(dirname(require.resolve('@sparticuz/chromium'))));
  } catch {
    return undefined;
  }
}

export function packagedChromiumAvailable(): boolean {
  const root = packageRoot();
  return process.platform === 'linux' && process.arch === 'x64' && !!root && existsSync(join(root, 'bin', 'chromium.br'));
}

/** Regular files and folders of a ustar archive (all these archives hold) written under `dest`. */
function untar(archive: Buffer, dest: string): void {
  for (let at = 0; at + 512 <= archive.length; ) {
    const header = archive.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, len: number) => header.subarray(from, from + len).toString('latin1').replace(/\0[\s\S]*$/, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    if (name.split('/').includes('..')) throw new Error(`refusing archive entry outside its folder: ${name}`);
    const target = join(dest, name);
    if (type === '5') mkdirSync(target, { recursive: true });
    else if (type === '0') {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, archive.subarray(at + 512, at + 512 + size));
      chmodSync(target, parseInt(field(100, 8).trim() || '644', 8) & 0o777);
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

export interface UnpackedChromium {
  executablePath: string;
  /** Environment for the browser process: its own fonts config and the bundled libraries. */
  env: Record<string, string>;
}

function describe(dir: string): UnpackedChromium {
  const libs = join(dir, 'lib');
  const inherited = process.env.LD_LIBRARY_PATH;
  return {
    executablePath: join(dir, 'chromium'),
    env: { FONTCONFIG_PATH: join(dir, 'fonts'), LD_LIBRARY_PATH: inherited ? `${libs}:${inherited}` : libs },
  };
}

function fontsConfig(dir: string): string {
  // The package's own fonts.conf names /tmp/fonts; ours names the unpacked font and the system fonts.
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    `  <dir>${join(dir, 'fonts', 'fonts')}</dir>`,
    '  <dir>/usr/share/fonts</dir>',
    '  <dir>/usr/local/share/fonts</dir>',
    `  <cachedir>${join(dir, 'fonts-cache')}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
}

export async function unpackPackagedChromium(): Promise<UnpackedChromium> {
  const root = packageRoot();
  if (!root) throw new Error('@sparticuz/chromium is not installed (run npm ci)');
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const dir = join(tmpdir(), `wxcloud-pay-chromium-${version}`);
  if (existsSync(join(dir, 'chromium'))) return describe(dir);

  const building = `${dir}.partial-${process.pid}-${Date.now()}`;
  mkdirSync(building, { recursive: true });
  try {
    const bin = join(root, 'bin');
    const [binary, swiftshader, fonts, libs] = await Promise.all(
      ['chromium.br', 'swiftshader.tar.br', 'fonts.tar.br', 'al2023.tar.br'].map((f) => unbrotli(readFileSync(join(bin, f)))),
    );
    writeFileSync(join(building, 'chromium'), binary, { mode: 0o755 });
    untar(swiftshader, building); // libEGL/libGLESv2 beside the binary, where it looks for them
    untar(fonts, join(building, 'fonts'));
    untar(libs, building); // lib/
    writeFileSync(join(building, 'fonts', 'fonts.conf'), fontsConfig(dir));
    try {
      renameSync(building, dir);
    } catch (err) {
      // Another process finished first: use its copy.
      if (!existsSync(join(dir, 'chromium'))) throw err;
      rmSync(building, { recursive: true, force: true });
    }
  } catch (err) {
    rmSync(building, { recursive: true, force: true });
    throw err;
  }
  return describe(dir);
}
