/** OTLP requests in the OTLP/JSON object form; protobufjs (testkit) encodes the same objects. */
export type AnyJson = Record<string, unknown>;

export function attr(key: string, value: string | number | boolean): AnyJson {
  if (typeof value === 'string') return { key, value: { stringValue: value } };
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  return Number.isInteger(value) ? { key, value: { intValue: String(value) } } : { key, value: { doubleValue: value } };
}

export function nanos(ms: number): string {
  return (BigInt(Math.round(ms)) * 1_000_000n).toString();
}

export function request(host: string, metrics: AnyJson[]): AnyJson {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [attr('host.name', host), attr('service.name', 'fixture')] },
        scopeMetrics: [{ scope: { name: 'fixture', version: '1' }, metrics }],
      },
    ],
  };
}

export function gauge(name: string, points: Array<{ value: number; attrs?: Record<string, string | number>; timeMs?: number }>, unit = ''): AnyJson {
  return {
    name,
    unit,
    gauge: {
      dataPoints: points.map((p) => ({
        asDouble: p.value,
        timeUnixNano: nanos(p.timeMs ?? 1_700_000_000_000),
        attributes: Object.entries(p.attrs ?? {}).map(([k, v]) => attr(k, v)),
      })),
    },
  };
}

export function counter(
  name: string,
  points: Array<{ value: number; attrs?: Record<string, string | number>; timeMs?: number; startMs?: number }>,
  opts: { unit?: string; temporality?: 1 | 2; monotonic?: boolean } = {},
): AnyJson {
  return {
    name,
    unit: opts.unit ?? '',
    sum: {
      aggregationTemporality: opts.temporality ?? 2,
      isMonotonic: opts.monotonic ?? true,
      dataPoints: points.map((p) => ({
        asDouble: p.value,
        startTimeUnixNano: nanos(p.startMs ?? 1_600_000_000_000),
        timeUnixNano: nanos(p.timeMs ?? 1_700_000_000_000),
        attributes: Object.entries(p.attrs ?? {}).map(([k, v]) => attr(k, v)),
      })),
    },
  };
}
