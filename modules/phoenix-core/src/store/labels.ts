import { promLabelName } from './naming';

/**
 * A label set as one flat array `[name0, value0, name1, value1, …]`, sorted by name, names
 * Prometheus-valid and unique. One array per series instead of an array per pair: at a million
 * series the pairs alone cost over a kilobyte each.
 */
export type FlatLabels = readonly string[];

/** Escapes a label value for the text exposition format. */
export function escapeLabelValue(v: string): string {
  return /[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;
}

/**
 * `s` as one flat string. A string built by `+=` is a tree of its pieces (a V8 "cons string"):
 * kept for the life of a series, the tree costs memory and must be re-walked every time it is
 * copied into an exposition (4x slower rendering). Reading a character flattens it in place.
 */
export function flatString(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** `a="1",b="2"` (without braces), as a flat string (see flatString). */
export function renderLabels(labels: FlatLabels): string {
  let s = '';
  for (let i = 0; i < labels.length; i += 2) {
    if (i > 0) s += ',';
    s += `${labels[i]}="${escapeLabelValue(labels[i + 1])}"`;
  }
  return flatString(s);
}

/** The value of label `name`, or undefined. */
export function labelValue(labels: FlatLabels, name: string): string | undefined {
  for (let i = 0; i < labels.length; i += 2) if (labels[i] === name) return labels[i + 1];
  return undefined;
}

/**
 * Builds the label set of a point from flat attribute arrays (`[key0, value0, …]`, OpenTelemetry
 * keys): the allow-listed resource attributes plus the point attributes, names translated;
 * attributes that translate to the same label name are joined with `;` in the order of their
 * original keys (the compatibility rule). `reserved` names (`le`, `quantile`) are renamed
 * `exported_<name>`.
 */
export function buildLabels(resource: readonly string[], point: readonly string[], reserved?: string): string[] {
  const all: Array<[string, string, string]> = [];
  for (let i = 0; i < resource.length; i += 2) all.push([promLabelName(resource[i]), resource[i], resource[i + 1]]);
  for (let i = 0; i < point.length; i += 2) {
    let name = promLabelName(point[i]);
    if (reserved !== undefined && name === reserved) name = `exported_${name}`;
    all.push([name, point[i], point[i + 1]]);
  }
  all.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const out: string[] = [];
  for (const [name, , v] of all) {
    const n = out.length;
    if (n > 0 && out[n - 2] === name) {
      if (out[n - 1] !== v) out[n - 1] = `${out[n - 1]};${v}`;
    } else out.push(name, v);
  }
  return out;
}
