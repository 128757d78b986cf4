// Promise wrappers over fs's callback API, looked up at call time (a SIGKILL test child patches fs.*).
import fs from 'node:fs';

const call = <T>(run: (cb: (e: NodeJS.ErrnoException | null, v: T) => void) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => run((e, v) => (e ? reject(e) : resolve(v))));

export const openAsync = (file: string, flags: string): Promise<number> => call<number>((cb) => fs.open(file, flags, cb));
export const closeAsync = (fd: number): Promise<void> => call<void>((cb) => fs.close(fd, (e) => cb(e, undefined)));
export const fsyncAsync = (fd: number): Promise<void> => call<void>((cb) => fs.fsync(fd, (e) => cb(e, undefined)));
export const fdatasyncAsync = (fd: number): Promise<void> => call<void>((cb) => fs.fdatasync(fd, (e) => cb(e, undefined)));

/** Write all of `buf` at the file's current position (each write is one event-loop turn away). */
export async function writeAll(fd: number, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) off += await call<number>((cb) => fs.write(fd, buf, off, buf.length - off, null, cb));
}

export async function fsyncDirAsync(dir: string): Promise<void> {
  const fd = await openAsync(dir, 'r');
  try {
    await fsyncAsync(fd);
  } finally {
    await closeAsync(fd);
  }
}
