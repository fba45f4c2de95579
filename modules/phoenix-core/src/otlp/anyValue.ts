/**
 * Turns OTLP AnyValue content into a Prometheus label value, following the OpenTelemetry →
 * Prometheus compatibility rules: strings unchanged, booleans/integers/doubles as text,
 * arrays and key-value lists as JSON, bytes as base64.
 */
export type JsonAnyValue = string | number | boolean | null | JsonAnyValue[] | { [k: string]: JsonAnyValue };

export function doubleToLabel(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** JSON text of a structured (array / kvlist) attribute value. */
export function structuredToLabel(v: JsonAnyValue): string {
  return JSON.stringify(v);
}
