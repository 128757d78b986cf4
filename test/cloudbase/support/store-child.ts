/**
 * A CloudBase store in its own process for test/cloudbase/compaction-kill.test.ts. It seeds
 * `seed` documents (a snapshot of several slices), then 8 lanes write their own keys one at a
 * time, printing `send <key> <n>` before each write and `ack <key> <n>` once it is durable (n = -1
 * deletes). The log compacts at 1 MiB; with `CB_CRASH_AT` the process SIGKILLs itself at that point
 * of its first compaction, by wrapping the fs calls the compaction makes on `<log>.tmp` (nothing
 * else changes: the writes, syncs and rename are the real ones):
 * open (before the snapshot), second-write (during it), first-fsync (written, tail not yet
 * copied), before-rename, after-rename, after-compaction (50 acks after it finished).
 */
import fs from 'node:fs';
import { EnvStore, type Op } from '../../../emulator/cloudbase/store';

const crashAt = process.env.CB_CRASH_AT ?? '';
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  for (;;); // not reached
};
const isTmp = (p: fs.PathLike): boolean => String(p).endsWith('.log.tmp');
let tmpFd = -1;
let writes = 0;
let syncs = 0;
const real = { open: fs.open, write: fs.write, fsync: fs.fsync, renameSync: fs.renameSync };
Object.assign(fs, {
  open: (p: fs.PathLike, flags: string, cb: (e: Error | null, fd: number) => void) => {
    if (isTmp(p) && crashAt === 'open') die();
    real.open(p, flags, (e, fd) => {
      if (isTmp(p)) tmpFd = fd;
      cb(e, fd);
    });
  },
  write: (fd: number, ...rest: unknown[]) => {
    if (fd === tmpFd && ++writes === 2 && crashAt === 'second-write') die();
    (real.write as (...a: unknown[]) => void)(fd, ...rest);
  },
  fsync: (fd: number, cb: (e: Error | null) => void) => {
    if (fd === tmpFd && ++syncs === 1 && crashAt === 'first-fsync') die();
    real.fsync(fd, cb);
  },
  renameSync: (from: fs.PathLike, to: fs.PathLike) => {
    if (isTmp(from) && crashAt === 'before-rename') die();
    real.renameSync(from, to);
    if (isTmp(from) && crashAt === 'after-rename') die();
  },
});

async function main(): Promise<void> {
  const store = EnvStore.open(process.env.CB_DATA_DIR!, 'kill', undefined, { compactAtBytes: 1 << 20 });
  const seed = Number(process.env.CB_SEED ?? 3000);
  const ops: Op[] = [{ op: 'coll', c: 'seed' }, { op: 'coll', c: 'lanes' }];
  for (let i = 0; i < seed; i++) ops.push({ op: 'put', c: 'seed', doc: { _id: `s${i}`, pad: 'p'.repeat(200) } });
  await store.commit(ops);
  console.log('seeded');
  let acksAfter = 0;
  await Promise.all(Array.from({ length: 8 }, async (_, lane) => {
    for (let n = 0; ; n++) {
      const key = `l${lane}-${n % 20}`;
      const del = n % 7 === 6;
      console.log(`send ${key} ${del ? -1 : n}`);
      await store.commit([del ? { op: 'del', c: 'lanes', id: key } : { op: 'put', c: 'lanes', doc: { _id: key, n, pad: 'q'.repeat(300) } }]);
      console.log(`ack ${key} ${del ? -1 : n}`);
      if (store.lastCompaction && crashAt === 'after-compaction' && ++acksAfter === 50) die();
    }
  }));
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
