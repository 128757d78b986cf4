/**
 * The whole local state (both emulators) to a folder and back: `npm start -- --export DIR` writes it
 * when the stack stops, `npm start -- --import DIR` loads it before the stack starts. A developer keeps
 * or shares a scenario this way.
 *
 * The folder is the data dir's own layout (credentials.json — the dev keys the data was signed and
 * encrypted with —, cloudbase/<env>.log, wechat/state.log, logs/, storage…) plus manifest.json listing
 * every file and its size. Export writes under a temporary name and renames; import checks the manifest
 * first, copies beside the data dir and swaps the folders, so a failure at any point leaves either the
 * old state or the new one, never a mixture.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { t } from '../i18n';

export const MANIFEST = 'manifest.json';
const FORMAT = 1;
/** Written by a running stack for other processes (meaningless elsewhere), or the developer's own
 *  function settings, which may hold secrets and stay with the machine (kept across an import). */
const SKIPPED = [/\.tmp$/, /\.partial-/, /^cloudbase\/sdk-env\.json$/, /^cloudbase\/config\.json$/];
const KEPT_ON_IMPORT = ['cloudbase/config.json'];

export class SnapshotError extends Error {
  readonly code = 'SNAPSHOT_INVALID';
}

interface Manifest {
  format: number;
  exportedAt: string;
  files: { path: string; bytes: number }[];
}

function listFiles(root: string, dir = root): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return listFiles(root, full);
    const rel = relative(root, full).split('\\').join('/');
    return e.isFile() && rel !== MANIFEST && !SKIPPED.some((re) => re.test(rel)) ? [rel] : [];
  });
}

/** Copy the (stopped) stack's data dir to `dir`. An earlier export there is replaced; any other non-empty folder is refused. */
export function exportState(dataDir: string, dir: string): Manifest {
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0 && !existsSync(join(target, MANIFEST))) {
    throw new SnapshotError(t('snapshot.notEmpty', { target, manifest: MANIFEST }));
  }
  const files = listFiles(dataDir);
  if (!files.includes('credentials.json')) throw new SnapshotError(t('snapshot.noState', { dataDir }));
  const building = `${target}.partial-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  for (const f of files) {
    mkdirSync(dirname(join(building, f)), { recursive: true });
    cpSync(join(dataDir, f), join(building, f));
  }
  const manifest: Manifest = { format: FORMAT, exportedAt: new Date().toISOString(), files: files.map((f) => ({ path: f, bytes: statSync(join(building, f)).size })) };
  writeFileSync(join(building, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  renameSync(building, target);
  return manifest;
}

function readManifest(dir: string): Manifest {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) throw new SnapshotError(t('snapshot.notExport', { dir, manifest: MANIFEST }));
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    throw new SnapshotError(t('snapshot.badJson', { file, message: (e as Error).message }));
  }
  if (m.format !== FORMAT || !Array.isArray(m.files)) throw new SnapshotError(t('snapshot.badFormat', { file, format: FORMAT }));
  for (const f of m.files) {
    const p = join(dir, f.path);
    if (typeof f.path !== 'string' || f.path.split('/').includes('..')) throw new SnapshotError(t('snapshot.badPath', { file, path: JSON.stringify(f.path) }));
    if (!existsSync(p)) throw new SnapshotError(t('snapshot.missing', { dir, path: f.path, manifest: MANIFEST }));
    if (statSync(p).size !== f.bytes) throw new SnapshotError(t('snapshot.size', { dir, path: f.path, bytes: statSync(p).size, manifest: MANIFEST, expected: f.bytes }));
  }
  if (!m.files.some((f) => f.path === 'credentials.json')) throw new SnapshotError(t('snapshot.noCredentials', { dir }));
  return m;
}

/** Replace the data dir's state with an export (the stack must not be running on it). */
export function importState(dir: string, dataDir: string): Manifest {
  const source = resolve(dir);
  const manifest = readManifest(source);
  const target = resolve(dataDir);
  const incoming = `${target}.importing-${process.pid}`;
  const outgoing = `${target}.replaced-${process.pid}`;
  rmSync(incoming, { recursive: true, force: true });
  for (const f of manifest.files) {
    mkdirSync(dirname(join(incoming, f.path)), { recursive: true });
    cpSync(join(source, f.path), join(incoming, f.path));
  }
  for (const keep of KEPT_ON_IMPORT) {
    if (!existsSync(join(target, keep))) continue;
    mkdirSync(dirname(join(incoming, keep)), { recursive: true });
    cpSync(join(target, keep), join(incoming, keep));
  }
  if (existsSync(target)) renameSync(target, outgoing);
  renameSync(incoming, target);
  rmSync(outgoing, { recursive: true, force: true });
  return manifest;
}
