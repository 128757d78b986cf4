/**
 * The folders WeChat DevTools uploads. project.config.json's cloudfunctionRoot points here
 * (dist/cloudfunctions/, git-ignored), not at the sources: a fresh clone has no such folder, so
 * "上传并部署" cannot upload an unbuilt function (before, it would upload index.ts alone and every
 * call would fail in the cloud). `npm run build` fills it with exactly what deploy:cloud and
 * deploy:scf ship — the bundle, package.json, config.json — and nothing else.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './functions';

export const DEVTOOLS_FUNCTIONS_DIR = join(REPO_ROOT, 'dist', 'cloudfunctions');
export const SHIPPED_FILES = ['index.js', 'package.json', 'config.json'] as const;

/** Replaces outDir with one folder per function holding its shipped files (removed functions disappear). */
export function stageForDevTools(functionsDir: string, names: string[], outDir = DEVTOOLS_FUNCTIONS_DIR): string[] {
  rmSync(outDir, { recursive: true, force: true });
  for (const name of names) {
    const from = join(functionsDir, name);
    if (!existsSync(join(from, 'index.js'))) throw new Error(`${name}: no built index.js to stage for DevTools`);
    mkdirSync(join(outDir, name), { recursive: true });
    for (const file of SHIPPED_FILES) if (existsSync(join(from, file))) copyFileSync(join(from, file), join(outDir, name, file));
  }
  return names.map((n) => join(outDir, n));
}

export const PRIVATE_CONFIG = join(REPO_ROOT, 'project.private.config.json');

/**
 * DevTools' domain check must be off for a local build (it calls the stack on 127.0.0.1 over
 * wx.request) and on for a production build. Written to project.private.config.json (git-ignored;
 * DevTools gives it priority over project.config.json), keeping any other private setting, so the
 * README's "open the project" works without clicking "不校验合法域名".
 */
export function writeDevToolsPrivateConfig(target: 'local' | 'cloud', file = PRIVATE_CONFIG): void {
  let current: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      throw new Error(`${file} is not valid JSON: fix or delete it (DevTools rewrites it)`);
    }
  }
  const setting = { ...((current.setting as Record<string, unknown>) ?? {}), urlCheck: target === 'cloud' };
  writeFileSync(file, JSON.stringify({ ...current, setting }, null, 2) + '\n');
}
