/**
 * Hot reload and source maps on the real emulator with real esbuild incremental contexts: a saved
 * change to a file a function imports is rebuilt and the next call runs it (the emulator and its data
 * untouched); a build error is printed and the last good bundle keeps serving; a function's stack trace
 * names the .ts line; its console output is kept per function (GET /__emulator/logs and logs/<fn>.log).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCloudbaseEmulator, type CloudbaseEmulator } from '../../emulator/cloudbase';
import { buildFunctions } from '../../scripts/build/functions';
import { startReloader, type Reloader } from '../../scripts/local/reload';
import { setCliLang } from '../../scripts/i18n';

jest.setTimeout(90_000);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wxcloud-pay-reload-'));
const functionsDir = path.join(root, 'cloudfunctions');
const shared = path.join(root, 'shared', 'greet.ts');
const lines: string[] = [];
let emu: CloudbaseEmulator;
let reloader: Reloader;

const INDEX = `import { greet } from '../../shared/greet';

export async function main(event: { fail?: boolean }) {
  console.log('hello called with', JSON.stringify(event));
  if (event.fail) {
    throw new Error('failing on purpose'); // line 6
  }
  return { greeting: greet() };
}
`;

beforeAll(async () => {
  setCliLang('zh-CN'); // the reloader prints in the CLI's language; fixed here, whatever the host's LANG
  fs.mkdirSync(path.join(functionsDir, 'hello'), { recursive: true });
  fs.mkdirSync(path.dirname(shared), { recursive: true });
  fs.writeFileSync(path.join(functionsDir, 'hello', 'index.ts'), INDEX);
  fs.writeFileSync(shared, `export const greet = (): string => 'v1';\n`);
  await buildFunctions({ functionsDir, local: true });
  emu = await startCloudbaseEmulator({ port: 0, dataDir: path.join(root, 'data'), functionsDir, log: () => undefined });
  reloader = await startReloader({ cloudbaseUrl: emu.url, functionsDir, log: (l) => lines.push(l) });
});
afterAll(async () => {
  await reloader?.close();
  await emu?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const call = async (data: unknown): Promise<any> =>
  (await fetch(`${emu.url}/functions/hello`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: 'o-dev', data }) })).json();

async function waitForLine(re: RegExp, from: number): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const hit = lines.slice(from).find((l) => re.test(l));
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no log line ${re} (got ${JSON.stringify(lines)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a saved change is used by the next call; a broken save keeps the last good bundle serving', async () => {
  expect((await call({})).result).toEqual({ greeting: 'v1' });
  let mark = lines.length;
  fs.writeFileSync(shared, `export const greet = (): string => 'v2';\n`);
  await waitForLine(/↻ hello 已重新构建，用时 \d+ ms；下次调用即运行新代码/, mark);
  expect((await call({})).result).toEqual({ greeting: 'v2' });

  mark = lines.length;
  fs.writeFileSync(shared, `export const greet = (): string => 'v3' +;\n`);
  const failure = await waitForLine(/✗ hello：构建失败；继续使用上一个可用的包/, mark);
  expect(failure).toMatch(/ERROR[\s\S]*greet\.ts:1:\d+/);
  expect((await call({})).result).toEqual({ greeting: 'v2' });

  mark = lines.length;
  fs.writeFileSync(shared, `export const greet = (): string => 'v4';\n`);
  await waitForLine(/↻ hello 已重新构建/, mark);
  expect((await call({})).result).toEqual({ greeting: 'v4' });
});

test('a stack trace points at the .ts line; output and failures are kept per function', async () => {
  const failed = await call({ fail: true });
  expect(failed.errMsg).toContain('failing on purpose');
  expect(failed.errMsg).toMatch(/hello[\\/]index\.ts:6:\d+/);
  const { logs, functions } = (await (await fetch(`${emu.url}/__emulator/logs?function=hello`)).json()) as any;
  expect(functions).toContain('hello');
  expect(logs.some((e: any) => e.function === 'hello' && /hello called with \{"fail":true\}/.test(e.line))).toBe(true);
  expect(logs.some((e: any) => /failing on purpose/.test(e.line) && /index\.ts:6/.test(e.line))).toBe(true);
  expect(((await (await fetch(`${emu.url}/__emulator/logs?function=nobody`)).json()) as any).logs).toEqual([]);
  const file = path.join(root, 'data', 'logs', 'hello.log');
  await new Promise((r) => setTimeout(r, 100)); // the file append is asynchronous
  expect(fs.readFileSync(file, 'utf8')).toContain('hello called with');
});
