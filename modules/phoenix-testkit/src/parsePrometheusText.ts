/** One sample of a Prometheus text exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parsed exposition: samples plus the TYPE and HELP of each family. */
export interface Exposition {
  samples: Sample[];
  types: Record<string, string>;
  help: Record<string, string>;
}

function unescapeLabel(v: string): string {
  return v.replace(/\\(n|\\|")/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

function parseValue(v: string): number {
  if (v === '+Inf' || v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  if (v === 'NaN') return NaN;
  return Number(v);
}

/** A small, strict parser of the Prometheus text format (0.0.4), for exact assertions in tests. */
export function parsePrometheusText(text: string): Exposition {
  const samples: Sample[] = [];
  const types: Record<string, string> = {};
  const help: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line === '') continue;
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      types[name] = type;
      continue;
    }
    if (line.startsWith('# HELP ')) {
      const rest = line.slice(7);
      const sp = rest.indexOf(' ');
      help[sp < 0 ? rest : rest.slice(0, sp)] = sp < 0 ? '' : rest.slice(sp + 1);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?$/.exec(line);
    if (!m) throw new Error(`unparseable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    if (m[3]) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g;
      let lm: RegExpExecArray | null;
      let consumed = 0;
      while ((lm = re.exec(m[3])) !== null) {
        labels[lm[1]] = unescapeLabel(lm[2]);
        consumed += lm[0].length;
      }
      if (consumed !== m[3].length) throw new Error(`bad label set in line: ${line}`);
    }
    samples.push({ name: m[1], labels, value: parseValue(m[4]) });
  }
  return { samples, types, help };
}

/** Samples matching a name and (a subset of) labels. */
export function findSamples(exp: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return exp.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The value of the single sample matching name and labels; throws when there is not exactly one. */
export function sampleValue(exp: Exposition, name: string, labels: Record<string, string> = {}): number {
  const found = findSamples(exp, name, labels);
  if (found.length !== 1) {
    throw new Error(`expected exactly one sample ${name}${JSON.stringify(labels)}, found ${found.length}`);
  }
  return found[0].value;
}
