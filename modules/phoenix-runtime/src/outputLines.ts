import { StringDecoder } from 'node:string_decoder';

export type OutputStream = 'stdout' | 'stderr';

/** One line of a child's output, numbered in arrival order (`seq` from 1). */
export interface OutputLine {
  seq: number;
  stream: OutputStream;
  text: string;
}

export interface OutputLinesOptions {
  /** lines kept for {@link OutputLines.text} (default 1000; older ones are dropped) */
  tailLines?: number;
  /** a longer line is cut to this many characters (default 16384), the rest of it dropped */
  maxLineLength?: number;
  /** called for every line (without its newline); an exception in it is swallowed */
  onLine?: (line: string, stream: OutputStream) => void;
}

interface Partial {
  decoder: StringDecoder;
  text: string;
  /** the current line was cut: drop until its newline */
  cut: boolean;
}

export const TRUNCATED = ' …(truncated)';

/**
 * Splits a child's stdout and stderr into lines, bounded in memory: the last `tailLines` lines, each at
 * most `maxLineLength` characters (a partial line too).
 */
export class OutputLines {
  private readonly tailLines: number;
  private readonly maxLineLength: number;
  private readonly kept: OutputLine[] = [];
  private readonly partial: Record<OutputStream, Partial> = {
    stdout: { decoder: new StringDecoder('utf8'), text: '', cut: false },
    stderr: { decoder: new StringDecoder('utf8'), text: '', cut: false },
  };
  private readonly listeners = new Set<(line: OutputLine) => void>();
  private seq = 0;

  constructor(private readonly o: OutputLinesOptions = {}) {
    this.tailLines = Math.max(1, o.tailLines ?? 1000);
    this.maxLineLength = Math.max(1, o.maxLineLength ?? 16384);
  }

  /** The number of the last line seen (0 before any). */
  get lastSeq(): number {
    return this.seq;
  }

  push(stream: OutputStream, chunk: Buffer | string): void {
    const p = this.partial[stream];
    let text = p.text + (typeof chunk === 'string' ? chunk : p.decoder.write(chunk));
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
      const line = text.slice(0, nl);
      text = text.slice(nl + 1);
      if (p.cut) p.cut = false;
      else this.emit(stream, line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    if (!p.cut && text.length > this.maxLineLength) {
      this.emit(stream, text);
      p.cut = true;
    }
    p.text = p.cut ? '' : text;
  }

  /** Emits what is left of unfinished lines (the child exited). */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const p = this.partial[stream];
      const rest = p.text + p.decoder.end();
      p.text = '';
      if (rest !== '' && !p.cut) this.emit(stream, rest);
      p.cut = false;
    }
  }

  /** The kept lines, oldest first; only those after line `afterSeq` when given. */
  lines(afterSeq = 0): OutputLine[] {
    return this.kept.filter((l) => l.seq > afterSeq);
  }

  /** The kept lines joined by newlines (for failure messages). */
  text(): string {
    return this.kept.map((l) => l.text).join('\n');
  }

  /** Calls `fn` for every new line until the returned function is called. */
  subscribe(fn: (line: OutputLine) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(stream: OutputStream, raw: string): void {
    const text = raw.length > this.maxLineLength ? raw.slice(0, this.maxLineLength) + TRUNCATED : raw;
    const line: OutputLine = { seq: ++this.seq, stream, text };
    this.kept.push(line);
    if (this.kept.length > this.tailLines) this.kept.splice(0, this.kept.length - this.tailLines);
    try {
      this.o.onLine?.(text, stream);
    } catch {
      /* a consumer's failure never breaks the capture */
    }
    for (const fn of this.listeners) fn(line);
  }
}
