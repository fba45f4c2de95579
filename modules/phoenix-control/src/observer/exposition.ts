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

/**
 * A tolerant parser of the Prometheus text format 0.0.4 (and the OpenMetrics sample lines): lines it cannot
 * read are counted and skipped, never thrown on. Only the names in `wanted` are kept when given.
 */
export function parseExposition(text: string, wanted?: (name: string) => boolean): { samples: Sample[]; badLines: number } {
  const samples: Sample[] = [];
  let badLines = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) {
      badLines += 1;
      continue;
    }
    if (wanted && !wanted(m[1])) continue;
    const labels: Record<string, string> = {};
    if (m[2]) {
      LABEL.lastIndex = 0;
      let consumed = 0;
      let lm: RegExpExecArray | null;
      while ((lm = LABEL.exec(m[2])) !== null) {
        labels[lm[1]] = lm[2].replace(/\\(n|\\|")/g, (_x, c: string) => (c === 'n' ? '\n' : c));
        consumed = LABEL.lastIndex;
      }
      if (consumed !== m[2].length) {
        badLines += 1;
        continue;
      }
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
