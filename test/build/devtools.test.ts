/**
 * DevTools uploads from project.config.json's cloudfunctionRoot: the staged, built folders (never the
 * sources), which a fresh clone does not have, and the domain check follows the build's target.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DEVTOOLS_FUNCTIONS_DIR, stageForDevTools, writeDevToolsPrivateConfig } from '../../scripts/build/devtools';
import { REPO_ROOT } from '../../scripts/build/functions';
import { makeFunctionsDir } from '../deploy/fixtures';

describe('DevTools folders', () => {
  test('cloudfunctionRoot is the staged build folder, which git ignores (a fresh clone has nothing to upload)', () => {
    const project = JSON.parse(readFileSync(join(REPO_ROOT, 'project.config.json'), 'utf8')) as { cloudfunctionRoot: string };
    expect(project.cloudfunctionRoot).toBe(relative(REPO_ROOT, DEVTOOLS_FUNCTIONS_DIR) + '/');
    // check-ignore exits 0 when the path is ignored
    expect(() => execFileSync('git', ['check-ignore', '-q', join(DEVTOOLS_FUNCTIONS_DIR, 'payNotify', 'index.js')], { cwd: REPO_ROOT })).not.toThrow();
  });

  test('staging copies exactly the shipped files of built functions, drops old ones, and refuses an unbuilt function', () => {
    const src = makeFunctionsDir();
    writeFileSync(join(src, 'login', 'index.ts'), 'export {}');
    const out = join(mkdtempSync(join(tmpdir(), 'devtools-')), 'cloudfunctions');
    stageForDevTools(src, ['login', 'payNotify', 'queryOrder'], out);
    expect(readdirSync(out).sort()).toEqual(['login', 'payNotify', 'queryOrder']);
    expect(readdirSync(join(out, 'login')).sort()).toEqual(['index.js', 'package.json']);
    expect(readdirSync(join(out, 'queryOrder')).sort()).toEqual(['config.json', 'index.js', 'package.json']);
    stageForDevTools(src, ['login'], out);
    expect(readdirSync(out)).toEqual(['login']);
    writeFileSync(join(src, 'createOrder', 'index.ts'), 'export {}');
    execFileSync('rm', [join(src, 'createOrder', 'index.js')]);
    expect(() => stageForDevTools(src, ['createOrder'], out)).toThrow('createOrder: no built index.js to stage for DevTools');
  });

  test('the private config turns the domain check off for local builds and on for production, keeping other settings', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'devtools-')), 'project.private.config.json');
    writeDevToolsPrivateConfig('local', file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ setting: { urlCheck: false } });
    writeFileSync(file, JSON.stringify({ appid: 'wx1234567890abcdef', setting: { autoCompile: true, urlCheck: false } }));
    writeDevToolsPrivateConfig('cloud', file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ appid: 'wx1234567890abcdef', setting: { autoCompile: true, urlCheck: true } });
    expect(existsSync(file)).toBe(true);
  });
});
