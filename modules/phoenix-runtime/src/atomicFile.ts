import fs from 'node:fs';
import path from 'node:path';

let counter = 0;

/**
 * Replaces `file` with `data` atomically: written to a temp file in the same directory, fsynced, renamed
 * over the target, then the directory fsynced (best effort). A reader sees the old content or the new,
 * never a torn file; a crash leaves at most a stray `.<name>.*.tmp` next to it. Creates the directory.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, opts: { mode?: number } = {}): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  counter = (counter + 1) % 1_000_000;
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${counter}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'w', opts.mode ?? 0o644);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  try {
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    /* a directory fsync is not supported everywhere */
  }
}
