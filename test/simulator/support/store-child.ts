/**
 * A WeChat Pay simulator in its own process for the SIGKILL tests (test/simulator/store-kill.test.ts):
 * `LOCAL_DATA_DIR`, `SIM_JOURNAL_LIMIT_BYTES`. With `SIM_CRASH_AT=before-rename|after-rename` it
 * SIGKILLs itself at that point of its `SIM_CRASH_ON`-th compaction (counting the snapshot written
 * when a fresh store opens as the first): a real kill at an exact point of the compaction, which an
 * outside kill can only hit by luck. `open` (before the snapshot) and `snapshot-written` (its fsync,
 * before the commits written meanwhile are copied behind it) hit the `SIM_CRASH_ON`-th compaction
 * beside the commits (the one at open is synchronous and not counted there). Nothing else is changed; the calls themselves are real.
 */
import fs from 'node:fs';
import { startWechatSimulator } from '../../../emulator/wechat';

const crashAt = process.env.SIM_CRASH_AT;
if (crashAt) {
  const crashOn = Number(process.env.SIM_CRASH_ON ?? 2);
  const rename = fs.renameSync;
  let compactions = 0;
  const die = (): never => {
    process.kill(process.pid, 'SIGKILL');
    for (;;); // not reached: SIGKILL to oneself is delivered before kill() returns
  };
  const isTmp = (p: fs.PathLike): boolean => String(p).endsWith('state.log.tmp');
  const { open, fsync } = fs;
  let tmpFd = -1;
  let opens = 0;
  Object.assign(fs, {
    open: (p: fs.PathLike, flags: string, cb: (e: Error | null, fd: number) => void) => {
      if (isTmp(p) && ++opens === crashOn && crashAt === 'open') die();
      open(p, flags, (e, fd) => cb(e, isTmp(p) ? (tmpFd = fd) : fd));
    },
    fsync: (fd: number, cb: (e: Error | null) => void) => {
      if (fd === tmpFd && opens === crashOn && crashAt === 'snapshot-written') die();
      fsync(fd, cb);
    },
  });
  fs.renameSync = (from: fs.PathLike, to: fs.PathLike): void => {
    const compaction = String(to).endsWith('state.log') && String(from).endsWith('state.log.tmp');
    if (compaction && ++compactions === crashOn && crashAt === 'before-rename') die();
    rename(from, to);
    if (compaction && compactions === crashOn && crashAt === 'after-rename') die();
  };
}

async function main(): Promise<void> {
  const limit = process.env.SIM_JOURNAL_LIMIT_BYTES;
  const sim = await startWechatSimulator({ port: 0, dataDir: process.env.LOCAL_DATA_DIR!, ...(limit ? { journalLimitBytes: Number(limit) } : {}) });
  console.log(`simulator on ${sim.url}`);
  process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
