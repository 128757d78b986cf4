/**
 * The local build's record of what it read and wrote, so that a start whose inputs have not changed
 * skips esbuild. Every local stack start (npm start, each end-to-end test file, every bench and chaos
 * run) builds all functions: about 6.5 s of esbuild CPU on a 2-core machine each time, for bundles
 * that are byte-for-byte the ones already on disk.
 *
 * A record lists every file esbuild read (its metafile inputs: our sources and the node_modules files
 * bundled) and every file written (index.js, index.js.map), each with size and mtime, under a key of
 * the esbuild version and the build options. A build is fresh when the key is the same and every one
 * of those files still has the size and mtime recorded: any edit to a source or a dependency, a new
 * import (its importer changed), an npm install, or an output rewritten by another build makes it
 * stale and esbuild runs. Records live in node_modules/.cache (npm ci starts them afresh); the
 * production build (`npm run build`) never reads them.
 */
import { createHash } from 'crypto';
import { version as esbuildVersion, type Metafile } from 'esbuild';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';

interface BuildRecord {
  key: string;
  bytes: number;
  /** absolute path → [size, mtimeMs] */
  files: Record<string, [number, number]>;
}

export class BuildCache {
  constructor(private readonly dir: string) {}

  /** The bundle's size when the last build with this key is still what is on disk; undefined otherwise. */
  freshBytes(outfile: string, key: string): number | undefined {
    let record: BuildRecord;
    try {
      record = JSON.parse(readFileSync(this.recordFile(outfile), 'utf8')) as BuildRecord;
    } catch {
      return undefined;
    }
    if (record.key !== key) return undefined;
    for (const [file, [size, mtimeMs]] of Object.entries(record.files)) {
      const now = stamp(file);
      if (!now || now[0] !== size || now[1] !== mtimeMs) return undefined;
    }
    return record.bytes;
  }

  /** Remember a build just written: its inputs (metafile paths are relative to `workingDir`) and outputs. */
  remember(outfile: string, key: string, bytes: number, metafile: Metafile, outputs: string[], workingDir: string): void {
    const files: BuildRecord['files'] = {};
    // Inputs that are not files (esbuild's virtual modules) cannot change on disk: nothing to check.
    for (const input of Object.keys(metafile.inputs)) {
      const file = resolve(workingDir, input);
      const s = stamp(file);
      if (s) files[file] = s;
    }
    for (const out of outputs) {
      const s = stamp(out);
      if (!s) return; // an output already replaced or removed: record nothing, the next start builds
      files[out] = s;
    }
    mkdirSync(this.dir, { recursive: true });
    const target = this.recordFile(outfile);
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key, bytes, files } satisfies BuildRecord));
    renameSync(tmp, target);
  }

  private recordFile(outfile: string): string {
    return join(this.dir, `${createHash('sha256').update(resolve(outfile)).digest('hex').slice(0, 24)}.json`);
  }
}

/** The key of a build: esbuild's version and every option that shapes the output. */
export function buildKey(options: object): string {
  return createHash('sha256').update(JSON.stringify({ esbuildVersion, options })).digest('hex');
}

function stamp(file: string): [number, number] | undefined {
  try {
    const s = statSync(file);
    return s.isFile() ? [s.size, s.mtimeMs] : undefined;
  } catch {
    return undefined;
  }
}
