/**
 * The test sequencer (sequencer.js): on a fresh clone (no timings recorded) the known-long suites
 * start first, longest first, whatever their file size; a timing jest recorded wins over the list.
 */
import { join, resolve } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const KnownLongFirst = require('./sequencer');

const ROOT = resolve(__dirname, '..', '..');
// A context without jest's cache: nothing recorded, as on a fresh clone. Every file the same size.
const context = { config: { rootDir: ROOT, cache: false }, hasteFS: { getSize: () => 1000 } };
const suite = (path: string) => ({ path: join(ROOT, 'test', path), context });
const order = (sequencer: { sort(tests: unknown[]): Array<{ path: string }> }, paths: string[]) =>
  sequencer.sort(paths.map(suite)).map((t) => t.path.slice(join(ROOT, 'test').length + 1));

test('without recorded timings the known-long suites come first, longest first, then the rest', () => {
  const sequencer = new KnownLongFirst({ contexts: [context], globalConfig: {} });
  expect(order(sequencer, ['skeleton.test.ts', 'deploy/doctor.test.ts', 'chaos/chaos.test.ts', 'deploy/cloud.test.ts']))
    .toEqual(['chaos/chaos.test.ts', 'deploy/cloud.test.ts', 'deploy/doctor.test.ts', 'skeleton.test.ts']);
});

test('a timing jest recorded on this machine wins over the list', () => {
  const sequencer = new KnownLongFirst({ contexts: [context], globalConfig: {} });
  // What jest's own sequencer keeps per context after a run: [failed?, milliseconds] by path.
  sequencer._cache.set(context, { [join(ROOT, 'test', 'skeleton.test.ts')]: [0, 500_000] });
  expect(order(sequencer, ['chaos/chaos.test.ts', 'skeleton.test.ts'])).toEqual(['skeleton.test.ts', 'chaos/chaos.test.ts']);
});
