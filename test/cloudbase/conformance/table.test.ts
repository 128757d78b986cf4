/**
 * Keeps emulator/cloudbase/README.md and the suite in step:
 * - every row of the API table has a `describe('<api>', …)` of exactly that name in test/cloudbase/**, and every
 *   describe in test/cloudbase/conformance/ is a row (so a new API test without a row, or a row without a
 *   test, fails here); statuses are one of emulated / differs / not emulated, and a "differs" row says how;
 * - the Limits table is the one rendered from emulator/cloudbase/limits.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderLimitsTable } from '../../../emulator/cloudbase/limits';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'emulator/cloudbase/README.md'), 'utf8');

function between(marker: string): string {
  const m = new RegExp(`<!-- ${marker} -->\\n([\\s\\S]*?)\\n<!-- /${marker} -->`).exec(README);
  if (!m) throw new Error(`README has no <!-- ${marker} --> … <!-- /${marker} --> block`);
  return m[1];
}

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? testFiles(p) : e.name.endsWith('.test.ts') && p !== __filename ? [p] : [];
  });
}

const describesIn = (files: string[]): Set<string> =>
  new Set(files.flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/describe\((['"`])(.+?)\1/g)].map((m) => m[2])));

const rows = between('api-table')
  .split('\n')
  .slice(2)
  .map((line) => line.split('|').map((c) => c.trim()))
  .map((cells) => ({ api: cells[1].replace(/^`|`$/g, ''), status: cells[2], how: cells[3] }));

test('the API table has rows, each with a known status; "differs" rows say how', () => {
  expect(rows.length).toBeGreaterThan(10);
  for (const r of rows) {
    expect(['emulated', 'differs', 'not emulated']).toContain(r.status);
    if (r.status === 'differs') expect(r.how.length).toBeGreaterThan(10);
  }
  expect(new Set(rows.map((r) => r.api)).size).toBe(rows.length);
});

test('every API row has a describe of the same name in test/cloudbase (a test through the real SDK)', () => {
  const all = describesIn(testFiles(path.join(ROOT, 'test/cloudbase')));
  expect(rows.map((r) => r.api).filter((api) => !all.has(api))).toEqual([]);
});

test('every describe in test/cloudbase/conformance is a row of the API table', () => {
  const conformance = describesIn(testFiles(path.join(ROOT, 'test/cloudbase/conformance')));
  const apis = new Set(rows.map((r) => r.api));
  expect([...conformance].filter((d) => !apis.has(d))).toEqual([]);
});

test('the README limits table is the one rendered from limits.ts', () => {
  expect(between('limits-table')).toBe(renderLimitsTable());
});
