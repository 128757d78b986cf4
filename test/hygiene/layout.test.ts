/**
 * The README's layout section lists every folder that exists: each top-level folder, and each
 * folder directly inside lib/, emulator/, scripts/, miniprogram/ and test/ (tracked files only) —
 * in both languages: README.md (Chinese, "### 目录结构") and README.en.md ("### Layout").
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');
const NESTED = ['lib', 'emulator', 'scripts', 'miniprogram', 'test'];

function folders(): string[] {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' }).split('\n').filter(Boolean);
  const found = new Set<string>();
  for (const file of files) {
    const parts = file.split('/');
    if (parts.length > 1) found.add(parts[0]);
    if (parts.length > 2 && NESTED.includes(parts[0])) found.add(`${parts[0]}/${parts[1]}`);
  }
  return [...found].sort();
}

function layoutSection(readme: string, heading: string): string {
  const start = readme.indexOf(heading);
  const block = readme.slice(start).match(/```\n([\s\S]*?)```/);
  if (start < 0 || !block) throw new Error(`README has no "${heading}" section with a code block`);
  return block[1];
}

test.each([['README.md', '### 目录结构'], ['README.en.md', '### Layout']])('the %s layout names every folder', (file, heading) => {
  const layout = layoutSection(readFileSync(join(REPO, file), 'utf8'), heading);
  const lines = layout.split('\n');
  const listed = (folder: string): boolean => {
    const [top, inner] = folder.split('/');
    if (!inner) return lines.some((l) => l.startsWith(`${top}/`));
    // test/ lists its folders in prose on its own line(s); the others one per indented line.
    if (top === 'test') return new RegExp(`\\b${inner}\\b`).test(layout.slice(layout.indexOf('test/')));
    return lines.some((l) => l.trimStart().startsWith(`${inner}/`) || new RegExp(`\\b${inner}/`).test(l));
  };
  expect(folders().filter((f) => !listed(f))).toEqual([]);
});
