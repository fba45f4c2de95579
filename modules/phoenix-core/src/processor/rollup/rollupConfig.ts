import { ConfigErrors } from '@phoenix/runtime';

/** How a gauge group is aggregated from its members. */
export type GaugeAggregation = 'sum' | 'max' | 'min' | 'avg' | 'last';

export const GAUGE_AGGREGATIONS: readonly GaugeAggregation[] = ['sum', 'max', 'min', 'avg', 'last'];

/** Configuration shared by the reduction pipelines (optimized, experimental_topk). */
export interface RollupConfig {
  /** resource attribute that identifies the host (rollups are per host) */
  hostAttribute: string;
  /** point attributes with these prefixes identify a process */
  processAttributePrefixes: string[];
  /** further point attributes that identify a process */
  processAttributes: string[];
  /** volatile identity attributes the optimized pipeline drops in every profile */
  volatileAttributes: string[];
  /** gauge aggregation for every metric not listed below */
  gaugeAggregation: GaugeAggregation;
  /** per-metric gauge aggregation, keyed by OpenTelemetry or Prometheus name */
  gaugeAggregationByMetric: Record<string, GaugeAggregation>;
  /** label marking a rollup series; its value is `others` */
  rollupLabel: string;
  /** output groups with no members and no update for this long are removed */
  stalenessMs: number;
  /**
   * a group whose members all moved elsewhere (k or profile changed, ranking moved them) keeps
   * exposing its carried-over value for this long after its last point, then goes
   */
  emptyGroupTtlMs: number;
}

export const defaultRollupConfig: RollupConfig = {
  hostAttribute: 'host.name',
  processAttributePrefixes: ['process.'],
  processAttributes: ['container.id'],
  volatileAttributes: ['process.pid', 'process.command_line', 'container.id'],
  gaugeAggregation: 'sum',
  gaugeAggregationByMetric: {},
  rollupLabel: 'phoenix_rollup',
  stalenessMs: 5 * 60_000,
  emptyGroupTtlMs: 30_000,
};

/** Returns the problems of a config, each `key: problem` (see ConfigErrors); empty when valid. */
export function validateRollupConfig(c: RollupConfig): string[] {
  const e = new ConfigErrors();
  e.nonEmpty('rollup.hostAttribute', c.hostAttribute);
  if (c.processAttributePrefixes.length === 0 && c.processAttributes.length === 0) {
    e.add('rollup.processAttributePrefixes', 'at least one prefix or rollup.processAttributes entry is needed to recognise processes');
  }
  e.oneOf('rollup.gaugeAggregation', c.gaugeAggregation, GAUGE_AGGREGATIONS);
  for (const [k, v] of Object.entries(c.gaugeAggregationByMetric)) {
    if (!GAUGE_AGGREGATIONS.includes(v)) e.add('rollup.gaugeAggregationByMetric', `${k}: must be one of ${GAUGE_AGGREGATIONS.join(', ')} (got ${JSON.stringify(v)})`);
  }
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(c.rollupLabel)) e.add('rollup.rollupLabel', `must be a valid Prometheus label name (got ${JSON.stringify(c.rollupLabel)})`);
  e.number('rollup.stalenessMs', c.stalenessMs, { min: 0, exclusiveMin: true });
  e.number('rollup.emptyGroupTtlMs', c.emptyGroupTtlMs, { min: 0 });
  return e.messages;
}
