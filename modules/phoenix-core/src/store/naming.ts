/**
 * OpenTelemetry → Prometheus name translation (the OpenTelemetry "Prometheus and OpenMetrics
 * compatibility" rules, as the Collector's translator applies them with suffixes on):
 * invalid characters become `_` and runs of them collapse, the unit becomes a suffix unless the
 * name already carries it, `_total` ends monotonic counters, `_ratio` ends gauges of unit `1`.
 */
export type PromType = 'counter' | 'gauge' | 'histogram' | 'summary';

/**
 * The Prometheus type of an OTLP metric kind, and whether its values only grow (their increases are
 * carried over by rollups); undefined for a metric without data. Non-monotonic sums are gauges.
 */
export function promTypeOf(m: { kind: string; monotonic?: boolean }): PromKind | undefined {
  switch (m.kind) {
    case 'gauge':
      return GAUGE;
    case 'sum':
      return m.monotonic ? COUNTER : GAUGE;
    case 'histogram':
    case 'exponential_histogram':
      return HISTOGRAM;
    case 'summary':
      return SUMMARY;
    default:
      return undefined;
  }
}

export interface PromKind {
  readonly type: PromType;
  readonly monotonic: boolean;
}
const GAUGE: PromKind = { type: 'gauge', monotonic: false };
const COUNTER: PromKind = { type: 'counter', monotonic: true };
const HISTOGRAM: PromKind = { type: 'histogram', monotonic: true };
const SUMMARY: PromKind = { type: 'summary', monotonic: true };

/** The label name a family type uses itself (`le`, `quantile`): input labels of that name are renamed. */
export function reservedLabel(type: PromType): string | undefined {
  return type === 'histogram' ? 'le' : type === 'summary' ? 'quantile' : undefined;
}

const MAIN_UNITS: Record<string, string> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tebibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};

const PER_UNITS: Record<string, string> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

function unitTokens(unitText: string, map: Record<string, string>): string[] {
  // `{packet}`-style annotations carry no unit
  const u = unitText.replace(/\{[^}]*\}/g, '').trim();
  if (u === '' || u === '1') return [];
  const mapped = map[u] ?? u;
  return mapped.split(/[^a-zA-Z0-9]+/).filter((t) => t !== '');
}

const cache = new Map<string, string>();

/** The Prometheus metric family name of an OpenTelemetry metric. */
export function promMetricName(name: string, unit: string, type: PromType): string {
  const key = `${type}\u0000${unit}\u0000${name}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let tokens = name.split(/[^a-zA-Z0-9]+/).filter((t) => t !== '');
  if (type === 'counter') tokens = tokens.filter((t) => t !== 'total');
  const slash = unit.indexOf('/');
  const main = unitTokens(slash < 0 ? unit : unit.slice(0, slash), MAIN_UNITS);
  const per = slash < 0 ? [] : unitTokens(unit.slice(slash + 1), PER_UNITS);
  if (main.length > 0 && !containsRun(tokens, main)) tokens.push(...main);
  if (per.length > 0 && !containsRun(tokens, ['per', ...per])) tokens.push('per', ...per);
  if (type === 'counter') tokens.push('total');
  if (type === 'gauge' && unit === '1' && !tokens.includes('ratio')) tokens.push('ratio');
  let out = tokens.join('_');
  if (out !== '' && /^[0-9]/.test(out)) out = `_${out}`;
  if (cache.size > 100_000) cache.clear();
  cache.set(key, out);
  return out;
}

function containsRun(tokens: string[], run: string[]): boolean {
  outer: for (let i = 0; i + run.length <= tokens.length; i++) {
    for (let j = 0; j < run.length; j++) if (tokens[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}

const labelCache = new Map<string, string>();

/** A Prometheus label name for an attribute key: invalid characters → `_`, leading digit → `key_`. */
export function promLabelName(key: string): string {
  const hit = labelCache.get(key);
  if (hit !== undefined) return hit;
  let out = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (out === '') out = 'key_';
  else if (/^[0-9]/.test(out)) out = `key_${out}`;
  else if (out.startsWith('__') && !key.startsWith('__')) out = `key${out}`;
  if (labelCache.size > 100_000) labelCache.clear();
  labelCache.set(key, out);
  return out;
}
