import fs from 'node:fs';
import { writeFileAtomic } from '@phoenix/runtime';

/**
 * An append-only file of JSON records, one per line, fsynced on every append (what the agent has been told
 * to deliver or has done must survive a SIGKILL or a power cut). A torn last line (a crash mid-append) is
 * skipped on load; `rewrite` compacts it atomically.
 */
export class JsonlLog<T> {
  private fd: number | undefined;
  private lineCount = 0;

  constructor(readonly file: string) {}

  /** Lines in the file (records and torn lines), for deciding when to compact. */
  get lines(): number {
    return this.lineCount;
  }

  /** Reads every record; `torn` counts the lines that did not parse (skipped). */
  load(): { records: T[]; torn: number } {
    let text = '';
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const records: T[] = [];
    let torn = 0;
    let lines = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      lines += 1;
      try {
        records.push(JSON.parse(line) as T);
      } catch {
        torn += 1;
      }
    }
    this.lineCount = lines;
    // a torn last line without its newline would glue onto the next append: start a fresh line
    if (text.length > 0 && !text.endsWith('\n')) this.write('\n');
    return { records, torn };
  }

  append(records: readonly T[]): void {
    if (records.length === 0) return;
    this.write(records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    this.lineCount += records.length;
  }

  /** Replaces the whole file with `records` (temp file + rename). */
  rewrite(records: readonly T[]): void {
    this.close();
    writeFileAtomic(this.file, records.map((r) => JSON.stringify(r) + '\n').join(''), { mode: 0o600 });
    this.lineCount = records.length;
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    fs.closeSync(fd);
  }

  private write(text: string): void {
    this.fd ??= fs.openSync(this.file, 'a', 0o600);
    fs.writeSync(this.fd, text);
    fs.fdatasyncSync(this.fd);
  }
}
