/**
 * The README is Chinese (README.md) with an English twin (README.en.md) kept in step: the quick start
 * is the same two commands in both, character for character (and exactly what .ci/run relies on), and
 * each language links the other and the emulators' overview, which links every emulator's README.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(REPO, file), 'utf8');

/** The first ```bash block after the heading. */
function quickStart(readme: string, heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  const block = readme.slice(start).match(/```bash\n([\s\S]*?)```/);
  if (start < 0 || !block) throw new Error(`no "${heading}" section with a bash block`);
  return block[1];
}

test('README.md (快速开始) and README.en.md (Quick start) have the same two commands', () => {
  const zh = quickStart(read('README.md'), '## 快速开始');
  const en = quickStart(read('README.en.md'), '## Quick start');
  expect(zh).toBe(en);
  expect(zh.trim().split('\n').map((l) => l.replace(/\s+#.*$/, ''))).toEqual(['npm ci && npm run demo', 'npm ci && npm test']);
});

test('the quick-start check itself sees a difference', () => {
  const en = read('README.en.md');
  expect(quickStart(en.replace('npm ci && npm test ', 'npm install && npm test '), '## Quick start')).not.toBe(quickStart(read('README.md'), '## 快速开始'));
});

test('each README links the other language; the emulator overview links every emulator README', () => {
  expect(read('README.md')).toContain('](README.en.md)');
  expect(read('README.en.md')).toContain('](README.md)');
  expect(read('README.md')).toContain('](emulator/README.md)');
  const overview = read('emulator/README.md');
  const emulators = readdirSync(join(REPO, 'emulator'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(REPO, 'emulator', d.name, 'README.md')))
    .map((d) => d.name);
  expect(emulators.length).toBeGreaterThanOrEqual(3);
  expect(emulators.filter((name) => !overview.includes(`](${name}/README.md)`))).toEqual([]);
});
