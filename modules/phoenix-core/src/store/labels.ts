import type { Attr } from '../otlp/model';
import { promLabelName } from './naming';

/** A label set sorted by name, names already Prometheus-valid and unique. */
export type LabelPairs = Array<[name: string, value: string]>;

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
export function renderLabelPairs(pairs: LabelPairs): string {
  let s = '';
  for (let i = 0; i < pairs.length; i++) {
    if (i > 0) s += ',';
    s += `${pairs[i][0]}="${escapeLabelValue(pairs[i][1])}"`;
  }
  return flatString(s);
}

/**
 * Builds the label set of a point: the allow-listed resource attributes plus the point attributes,
 * names translated; attributes that translate to the same label name are joined with `;` in
 * the order of their original keys (the compatibility rule). `reserved` names (`le`, `quantile`)
 * are renamed `exported_<name>`.
 */
export function buildLabels(resource: Attr[], point: Attr[], reserved?: string): LabelPairs {
  const all: Array<[string, string, string]> = [];
  for (const [k, v] of resource) all.push([promLabelName(k), k, v]);
  for (const [k, v] of point) {
    let name = promLabelName(k);
    if (reserved !== undefined && name === reserved) name = `exported_${name}`;
    all.push([name, k, v]);
  }
  all.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const out: LabelPairs = [];
  for (const [name, , v] of all) {
    const last = out.length > 0 ? out[out.length - 1] : undefined;
    if (last && last[0] === name) {
      if (last[1] !== v) last[1] = `${last[1]};${v}`;
    } else out.push([name, v]);
  }
  return out;
}
