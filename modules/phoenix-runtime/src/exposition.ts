/**
 * Reading the Prometheus text exposition format, shared by the control loop's observer and the
 * validation module's sources.
 */

/** One sample of a Prometheus text exposition (or of a Prometheus HTTP API vector). */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseValue(v: string): number {
  if (v === '+Inf' || v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  if (v === 'NaN') return NaN;
  return Number(v);
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;

/** The labels inside `{...}` of an exposition line; undefined when they do not parse. */
export function parseLabels(body: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  let consumed = 0;
  let lm: RegExpExecArray | null;
  while ((lm = LABEL.exec(body)) !== null) {
    labels[lm[1]] = lm[2].replace(/\\(n|\\|")/g, (_x, c: string) => (c === 'n' ? '\n' : c));
    consumed = LABEL.lastIndex;
  }
  return consumed === body.length ? labels : undefined;
}

/**
 * A tolerant parser of the Prometheus text format 0.0.4: lines it cannot read are counted and skipped, never
 * thrown on. Only the names `wanted` accepts are kept (the test runs on the name before the labels are parsed,
 * so a large exposition costs little when few names are wanted).
 */
export function parseExposition(text: string, wanted?: (name: string) => boolean): { samples: Sample[]; badLines: number } {
  const samples: Sample[] = [];
  let badLines = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end);
    start = end + 1;
    const line = raw.trim();
    // a comment is a line whose first non-blank character is #
    if (line === '' || line.charCodeAt(0) === 35) continue;
    if (wanted) {
      const cut = line.search(/[{\s]/);
      const name = cut < 0 ? line : line.slice(0, cut);
      if (!wanted(name)) continue;
    }
    const m = LINE.exec(line);
    if (!m) {
      badLines += 1;
      continue;
    }
    let labels: Record<string, string> = {};
    if (m[2]) {
      const parsed = parseLabels(m[2]);
      if (!parsed) {
        badLines += 1;
        continue;
      }
      labels = parsed;
    }
    const value = parseValue(m[3]);
    if (Number.isNaN(value) && m[3] !== 'NaN') {
      badLines += 1;
      continue;
    }
    samples.push({ name: m[1], labels, value });
  }
  return { samples, badLines };
}
