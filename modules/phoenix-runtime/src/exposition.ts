/**
 * Reading the Prometheus text exposition format: the one parser of every module and test.
 */

/** One sample of a Prometheus text exposition (or of a Prometheus HTTP API vector). */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * A sample value as the text format and the Prometheus HTTP API write it: a float, or `NaN`, `+Inf`, `-Inf` in any
 * case (Prometheus reads values with Go's ParseFloat; prom-client writes NaN as `Nan`). NaN when it is no number.
 */
export function parseSampleValue(v: string): number {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(v);
  if (special) return special[2].toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
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

/** A parsed exposition: the samples, the lines that did not parse, and each family's TYPE and HELP. */
export interface Exposition {
  samples: Sample[];
  badLines: number;
  types: Record<string, string>;
  help: Record<string, string>;
}

export interface ParseExpositionOptions {
  /** keep only the samples whose name it accepts (tested before the labels are parsed: cheap on large texts) */
  wanted?: (name: string) => boolean;
  /** throw on the first line that does not parse instead of counting it (exact assertions in tests) */
  strict?: boolean;
}

function readComment(line: string, types: Record<string, string>, help: Record<string, string>): void {
  const m = /^#\s+(TYPE|HELP)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s+(.*))?$/.exec(line);
  if (!m) return;
  if (m[1] === 'TYPE') types[m[2]] = (m[3] ?? '').trim();
  else help[m[2]] = m[3] ?? '';
}

/**
 * The one parser of the Prometheus text format 0.0.4 (services and tests). Tolerant by default: lines
 * it cannot read are counted in `badLines` and skipped, never thrown on; `strict` throws instead.
 */
export function parseExposition(text: string, opts: ParseExpositionOptions | ((name: string) => boolean) = {}): Exposition {
  const o: ParseExpositionOptions = typeof opts === 'function' ? { wanted: opts } : opts;
  const samples: Sample[] = [];
  const types: Record<string, string> = {};
  const help: Record<string, string> = {};
  let badLines = 0;
  const bad = (line: string, why: string): void => {
    if (o.strict) throw new Error(`${why}: ${line}`);
    badLines += 1;
  };
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end);
    start = end + 1;
    const line = raw.trim();
    if (line === '') continue;
    // a comment is a line whose first non-blank character is #
    if (line.charCodeAt(0) === 35) {
      readComment(line, types, help);
      continue;
    }
    if (o.wanted) {
      const cut = line.search(/[{\s]/);
      const name = cut < 0 ? line : line.slice(0, cut);
      if (!o.wanted(name)) continue;
    }
    const m = LINE.exec(line);
    if (!m) {
      bad(line, 'unparseable exposition line');
      continue;
    }
    let labels: Record<string, string> = {};
    if (m[2]) {
      const parsed = parseLabels(m[2]);
      if (!parsed) {
        bad(line, 'bad label set in line');
        continue;
      }
      labels = parsed;
    }
    const value = parseSampleValue(m[3]);
    if (Number.isNaN(value) && !/^[+-]?nan$/i.test(m[3])) {
      bad(line, 'bad sample value in line');
      continue;
    }
    samples.push({ name: m[1], labels, value });
  }
  return { samples, badLines, types, help };
}

/** The family of a sample name given the families declared by TYPE (`x_bucket`, `x_sum`, `x_count`, `x_total` → `x`). */
export function familyOf(sampleName: string, types: Record<string, string>): string {
  if (types[sampleName] !== undefined) return sampleName;
  for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created', '_info']) {
    if (sampleName.endsWith(suffix)) {
      const base = sampleName.slice(0, -suffix.length);
      if (types[base] !== undefined) return base;
    }
  }
  return sampleName;
}

/** Samples matching a name and (a subset of) labels. */
export function findSamples(exp: Pick<Exposition, 'samples'>, name: string, labels: Record<string, string> = {}): Sample[] {
  return exp.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The value of the single sample matching name and labels; throws when there is not exactly one. */
export function sampleValue(exp: Pick<Exposition, 'samples'>, name: string, labels: Record<string, string> = {}): number {
  const found = findSamples(exp, name, labels);
  if (found.length !== 1) throw new Error(`expected exactly one sample ${name}${JSON.stringify(labels)}, found ${found.length}`);
  return found[0].value;
}
