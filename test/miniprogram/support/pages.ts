// Building the mini-program for a test file and rendering its pages with miniprogram-simulate.
// The pages under test are the esbuild output (what ships), not the TypeScript sources.
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { installWx, type Backend, type WxShim } from './wxShim';

declare const document: any;

const REPO = join(__dirname, '..', '..', '..');

/** Short polling waits so the "slow confirmation" paths finish quickly in tests. */
export const TEST_POLL_DELAYS_MS = [5, 5, 5];

export interface TestBuild { outDir: string; cleanup(): void }

/**
 * Builds the mini-program into a temp dir with the real build script, in a child process because
 * esbuild refuses to load inside jsdom (its Uint8Array invariant). `env` takes the MP_* switches.
 */
export function buildForTest(env: Record<string, string> = {}): TestBuild {
  const outDir = mkdtempSync(join(tmpdir(), 'wxcloud-pay-mp-'));
  // tsx's loader in one node process (its CLI would start a second node).
  execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), join(REPO, 'scripts', 'build', 'miniprogram.ts')], {
    env: { ...process.env, MP_POLL_DELAYS_MS: TEST_POLL_DELAYS_MS.join(','), ...env, MP_OUT_DIR: outDir },
    stdio: 'pipe',
  });
  return { outDir, cleanup: () => rmSync(outDir, { recursive: true, force: true }) };
}

export interface Rendered {
  instance: any;
  data: any;
  querySelector(sel: string): any;
  querySelectorAll(sel: string): any[];
  dom: any;
}

/** Loads a built page once; the returned function renders a fresh, attached instance each call. */
export function loadPage(dir: string, page: string): (props?: Record<string, unknown>) => Rendered {
  const simulate = require('miniprogram-simulate');
  // rootPath = the package root: the official WXML compiler keys templates by path relative to it, and
  // every page's template is "index.wxml" relative to its own folder (they would overwrite each other).
  const id = simulate.load(join(dir, page), { rootPath: dir });
  return (props) => {
    const c = simulate.render(id, props);
    c.attach(document.createElement('parent-wrapper'));
    return c;
  };
}

export function text(c: Rendered, sel: string): string {
  const node = c.querySelector(sel);
  return node ? String(node.dom.textContent).trim() : '';
}

export function exists(c: Rendered, sel: string): boolean {
  return Boolean(c.querySelector(sel));
}

/** Dispatches a tap without waiting (j-component delivers it on a microtask). */
export function tapNow(c: Rendered, sel: string, index = 0): void {
  const nodes = c.querySelectorAll(sel);
  if (!nodes[index]) throw new Error(`nothing matches ${sel} [${index}]`);
  nodes[index].dispatchEvent('tap');
}

/** Taps and lets the handler run up to its first pending await. */
export async function tap(c: Rendered, sel: string, index = 0): Promise<void> {
  tapNow(c, sel, index);
  await new Promise((r) => setTimeout(r, 0));
}

/** Waits until `cond()` holds (the pages work asynchronously); fails with `what` if it never does. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A promise with its resolve/reject exposed, to hold a call in flight. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

/**
 * One page of a mini-program built for this test file: built before the file's tests, removed after
 * them. `install(backend)` lays the wx shim over a test's backend (restored after the test);
 * `render()` renders the page.
 */
export function builtPage(page: string): { render: (props?: Record<string, unknown>) => Rendered; install: (backend: Backend) => WxShim } {
  let built: TestBuild | undefined;
  let render: ((props?: Record<string, unknown>) => Rendered) | undefined;
  let shim: WxShim | undefined;
  beforeAll(() => {
    built = buildForTest();
    render = loadPage(built.outDir, page);
  });
  afterEach(() => {
    shim?.restore();
    shim = undefined;
  });
  afterAll(() => built?.cleanup());
  return { render: (props) => render!(props), install: (backend) => (shim = installWx(backend)) };
}
