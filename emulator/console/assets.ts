/**
 * The front end, bundled from npm sources with esbuild when the console starts (in memory, no
 * files written, no CDN): one script, one stylesheet and a small HTML shell.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Asset {
  type: string;
  body: string;
}

const WEB_DIR = join(__dirname, 'web');

const HTML = `<!doctype html>
<html lang="en">
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
      '/app.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(WEB_DIR, 'app.css'), 'utf8') },
    };
  })();
  bundled.catch(() => (bundled = undefined));
  return bundled;
}
