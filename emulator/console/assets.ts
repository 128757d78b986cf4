/**
 * The front end, bundled from npm sources with esbuild when the console starts (in memory, no
 * files written, no CDN): one script, one stylesheet and a small HTML shell, plus the Chinese font
 * (Noto Sans SC from the @fontsource/noto-sans-sc devDependency, served from node_modules under
 * /fonts/): a machine or CI browser without CJK fonts still draws the console's Chinese, and no
 * byte comes from the network. The font's CSS splits it by unicode-range, so a page fetches only
 * the pieces its characters need.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Asset {
  type: string;
  body: string | Buffer;
}

const WEB_DIR = join(__dirname, 'web');

const HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wxcloud-pay console</title>
<link rel="stylesheet" href="/app.css">
</head>
<body>
<div id="app"></div>
<script src="/app.js"></script>
</body>
</html>
`;

const FONT_WEIGHTS = ['400', '700'];
const FONT_FILE = /^\/fonts\/(noto-sans-sc-[a-z0-9-]+\.woff2)$/;

function fontDir(): string {
  return join(dirname(require.resolve('@fontsource/noto-sans-sc/package.json')), 'files');
}

/** The @font-face rules of the weights we use, pointed at /fonts/ and woff2 only. */
function fontCss(): string {
  const pkg = dirname(require.resolve('@fontsource/noto-sans-sc/package.json'));
  return FONT_WEIGHTS.map((w) => readFileSync(join(pkg, `${w}.css`), 'utf8'))
    .join('\n')
    // block, not swap: text first painted in the fallback while its piece loads stayed blank in Chromium.
    .replace(/font-display: swap;/g, 'font-display: block;')
    .replace(/url\(\.\/files\/([^)]+\.woff2)\) format\('woff2'\)(, url\([^)]+\) format\('woff'\))?/g, "url(/fonts/$1) format('woff2')");
}

/** A font piece by its /fonts/ path (only the package's own woff2 names), else undefined. */
export function fontAsset(pathname: string): Asset | undefined {
  const m = FONT_FILE.exec(pathname);
  if (!m) return undefined;
  try {
    return { type: 'font/woff2', body: readFileSync(join(fontDir(), m[1])) };
  } catch {
    return undefined;
  }
}

let bundled: Promise<Record<string, Asset>> | undefined;

/** Built once per process; every console instance serves the same bytes. */
export function loadAssets(): Promise<Record<string, Asset>> {
  bundled ??= (async () => {
    const result = await build({
      entryPoints: [join(WEB_DIR, 'main.tsx')],
      bundle: true,
      write: false,
      format: 'iife',
      target: 'es2020',
      minify: true,
      jsx: 'automatic',
      jsxImportSource: 'preact',
      legalComments: 'none',
      logLevel: 'silent',
    });
    return {
      '/': { type: 'text/html; charset=utf-8', body: HTML },
      '/app.js': { type: 'text/javascript; charset=utf-8', body: result.outputFiles[0].text },
      '/app.css': { type: 'text/css; charset=utf-8', body: `${fontCss()}\n${readFileSync(join(WEB_DIR, 'app.css'), 'utf8')}` },
    };
  })();
  bundled.catch(() => (bundled = undefined));
  return bundled;
}
