#!/usr/bin/env node
'use strict';
/**
 * Source of the Grafana dashboards in ./dashboards (the JSON files are generated: edit this file, then run
 * `node modules/phoenix-monitoring/grafana/generate-dashboards.js`; `--check` exits 1 when a JSON file is
 * out of date, which the monitoring tests run).
 *
 * Every query uses the metric names of contracts/metrics/observatory.md, the phoenix-control and
 * phoenix-generators READMEs and the recording rules of ../prometheus/rules/recording.yml. The stack test
 * (../test/stack.test.ts) parses every query with the PromQL grammar and runs it against a real Prometheus
 * scraping a real stack: each must return data. A counter that only appears with its first event
 * (transitions, overrides, rejections) is written `... or vector(0)` so "none yet" reads 0, not "No data".
 */
const fs = require('node:fs');
const path = require('node:path');

const OUT = path.join(__dirname, 'dashboards');
const DS = { type: 'prometheus', uid: '${datasource}' };
const JOB = {
  api: 'job="phoenix-api"',
  // what every agent pushes to the Pushgateway (honor_labels: the pushed job, instance = the host id)
  agents: 'job="phoenix-agent"',
  core: 'job="phoenix-core"',
  control: 'job="phoenix-control"',
  observer: 'job="phoenix-observer"',
  generators: 'job="phoenix-generators"',
  validation: 'job="phoenix-validation"',
};
const SERVICES = 'job=~"phoenix-core|phoenix-control|phoenix-generators|phoenix-validation|phoenix-api"';

/**
 * One query of a panel.
 * @typedef {{ expr: string, legendFormat: string, interval?: string }} Query
 */

/**
 * What the panel builders take besides title and queries (each has its default).
 * @typedef {object} PanelOptions
 * @property {string} [description]
 * @property {number} [w] width in grid columns (of 24)
 * @property {number} [h] height in grid rows
 * @property {string} [unit]
 * @property {number} [min]
 * @property {number} [max]
 * @property {number} [fill] fill opacity (timeseries)
 * @property {boolean} [step] step lines (timeseries)
 * @property {object[]} [overrides]
 * @property {number} [decimals]
 * @property {{ color: string, value: number | null }[]} [thresholds]
 * @property {object[]} [mappings]
 * @property {string} [textMode]
 * @property {string} [colorMode]
 * @property {string} [graphMode]
 */

/**
 * A panel before the layout (which fills in gridPos): a row, or a panel with queries.
 * @typedef {{ type: 'row', title: string, w: number, h: number }} RowPanel
 * @typedef {{ type: 'timeseries' | 'stat' | 'state-timeline', title: string, description: string | undefined, w: number, h: number, queries: Query[], fieldConfig: object, options: object }} DataPanel
 * @typedef {RowPanel | DataPanel} Panel
 */

/** @type {(expr: string, legendFormat?: string, extra?: { interval?: string }) => Query} */
const q = (expr, legendFormat = '', extra = {}) => ({ expr, legendFormat, ...extra });

/**
 * Panel builders; gridPos is filled in by the layout.
 * @param {string} title
 * @param {Query[]} queries
 * @param {PanelOptions} [opts]
 * @returns {DataPanel}
 */
function timeseries(title, queries, opts = {}) {
  return {
    type: 'timeseries',
    title,
    description: opts.description,
    w: opts.w ?? 12,
    h: opts.h ?? 8,
    queries,
    fieldConfig: {
      defaults: {
        unit: opts.unit ?? 'short',
        min: opts.min,
        max: opts.max,
        custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: opts.fill ?? 10, showPoints: 'never', spanNulls: true, lineInterpolation: opts.step ? 'stepAfter' : 'linear' },
      },
      overrides: opts.overrides ?? [],
    },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
  };
}

/**
 * @param {string} title
 * @param {Query[]} queries
 * @param {PanelOptions} [opts]
 * @returns {DataPanel}
 */
function stat(title, queries, opts = {}) {
  return {
    type: 'stat',
    title,
    description: opts.description,
    w: opts.w ?? 6,
    h: opts.h ?? 4,
    queries,
    fieldConfig: {
      defaults: {
        unit: opts.unit ?? 'short',
        decimals: opts.decimals,
        thresholds: { mode: 'absolute', steps: opts.thresholds ?? [{ color: 'green', value: null }] },
        mappings: opts.mappings ?? [],
      },
      overrides: [],
    },
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      textMode: opts.textMode ?? 'value',
      colorMode: opts.colorMode ?? 'value',
      graphMode: opts.graphMode ?? 'none',
      justifyMode: 'auto',
      orientation: 'auto',
    },
  };
}

/**
 * @param {string} title
 * @param {Query[]} queries
 * @param {PanelOptions} [opts]
 * @returns {DataPanel}
 */
function stateTimeline(title, queries, opts = {}) {
  return {
    type: 'state-timeline',
    title,
    description: opts.description,
    w: opts.w ?? 12,
    h: opts.h ?? 6,
    queries,
    fieldConfig: { defaults: { unit: 'short', mappings: opts.mappings ?? [], thresholds: { mode: 'absolute', steps: [{ color: 'transparent', value: null }, { color: 'blue', value: 1 }] } }, overrides: [] },
    options: { showValue: 'never', mergeValues: true, rowHeight: 0.9, legend: { displayMode: 'list', placement: 'bottom', showLegend: false } },
  };
}

/**
 * @param {string} title
 * @returns {RowPanel}
 */
function row(title) {
  return { type: 'row', title, w: 24, h: 1 };
}

/**
 * Lays panels out left to right, wrapping at 24 columns; rows start a new line.
 * @param {Panel[]} panels
 * @returns {object[]} Grafana's panels
 */
function layout(panels) {
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  let id = 1;
  return panels.map((p) => {
    if (p.type === 'row' || x + p.w > 24) {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
    }
    const gridPos = { h: p.h, w: p.w, x, y };
    x += p.w;
    lineHeight = Math.max(lineHeight, p.h);
    if (p.type === 'row') {
      y += p.h;
      x = 0;
      lineHeight = 0;
      return { id: id++, type: 'row', title: p.title, collapsed: false, gridPos, panels: [] };
    }
    return {
      id: id++,
      type: p.type,
      title: p.title,
      gridPos,
      datasource: DS,
      targets: p.queries.map((t, i) => ({ refId: String.fromCharCode(65 + i), datasource: DS, expr: t.expr, legendFormat: t.legendFormat, range: true, instant: false, ...(t.interval ? { interval: t.interval } : {}) })),
      fieldConfig: p.fieldConfig,
      options: p.options,
      ...(p.description ? { description: p.description } : {}),
    };
  });
}

const datasourceVar = {
  name: 'datasource',
  label: 'Prometheus',
  type: 'datasource',
  query: 'prometheus',
  current: { selected: true, text: 'Prometheus', value: 'phoenix-prometheus' },
  hide: 0,
  refresh: 1,
  regex: '',
  options: [],
};

/**
 * @param {{ uid: string, title: string, description: string, panels: Panel[], variables?: object[], refresh?: string, from?: string }} d
 */
function dashboard({ uid, title, description, panels, variables = [], refresh = '10s', from = 'now-30m' }) {
  return {
    uid,
    title,
    description,
    tags: ['phoenix'],
    timezone: 'browser',
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh,
    time: { from, to: 'now' },
    timepicker: {},
    fiscalYearStartMonth: 0,
    liveNow: false,
    weekStart: '',
    annotations: { list: [] },
    links: [{ type: 'dashboards', tags: ['phoenix'], asDropdown: true, title: 'Phoenix', includeVars: false, keepTime: true }],
    templating: { list: [datasourceVar, ...variables] },
    panels: layout(panels),
  };
}

// --- overview -------------------------------------------------------------------------------------------

const overview = dashboard({
  uid: 'phoenix-overview',
  title: 'Phoenix / Overview',
  description: 'What the control loop chose, what it costs against the budget, and how much signal survives.',
  variables: [
    {
      name: 'price_per_series_month',
      label: 'USD per series per month',
      type: 'textbox',
      query: '0.05',
      current: { selected: false, text: '0.05', value: '0.05' },
      hide: 0,
      options: [{ selected: true, text: '0.05', value: '0.05' }],
    },
  ],
  panels: [
    stat('Mode in force', [q(`max by (mode, profile) (phoenix_control_mode_info{${JOB.core}}) == 1`, '{{mode}} / profile {{profile}}')], {
      textMode: 'name',
      colorMode: 'none',
      description: 'mode and profile of the control file phoenix-core applies',
    }),
    stat('Active pipeline (:8892)', [q('phoenix:active_pipeline_info', '{{pipeline}}')], { textMode: 'name', colorMode: 'none' }),
    stat('Active series / budget', [q('phoenix:budget_utilization_ratio')], {
      unit: 'percentunit',
      decimals: 1,
      thresholds: [{ color: 'green', value: null }, { color: 'orange', value: 0.9 }, { color: 'red', value: 1 }],
      graphMode: 'area',
    }),
    stat('Saved per month (at the price above)', [q('phoenix:series_saved * $price_per_series_month')], {
      unit: 'currencyUSD',
      decimals: 0,
      description: 'series the active output saves against full fidelity, times the price per series per month',
    }),
    timeseries(
      'Series per pipeline against the budget',
      [q('phoenix:pipeline_series', '{{pipeline}}'), q('phoenix:active_series', 'active output'), q('phoenix:target_series', 'budget')],
      {
        w: 16,
        h: 9,
        overrides: [
          { matcher: { id: 'byName', options: 'budget' }, properties: [{ id: 'custom.lineStyle', value: { dash: [10, 10], fill: 'dash' } }, { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }] },
          { matcher: { id: 'byName', options: 'active output' }, properties: [{ id: 'custom.lineWidth', value: 3 }] },
        ],
      },
    ),
    stat('Series saved', [q('phoenix:series_saved')], { w: 8, h: 3, decimals: 0 }),
    stat('Targets up', [q('sum(up)', 'up'), q('count(up)', 'scraped')], { w: 8, h: 3, textMode: 'value_and_name' }),
    stat('Ingest (data points/s)', [q('phoenix:ingest_data_points:rate1m')], { w: 8, h: 3, decimals: 0 }),
    row('Cost and fidelity per pipeline'),
    timeseries('Cost reduction (1 - series / full_fidelity)', [q('phoenix:cost_reduction_ratio', '{{pipeline}}')], { unit: 'percentunit', w: 12, min: 0, max: 1 }),
    timeseries('Totals preservation (1 = exact)', [q('phoenix:totals_preservation', '{{pipeline}}')], { unit: 'percentunit', w: 12 }),
    timeseries('Heavy-hitter recall (true top-10 per host kept visible)', [q('phoenix:heavy_hitter_recall', '{{pipeline}}')], { unit: 'percentunit', w: 12, min: 0, max: 1 }),
    timeseries('Attribution coverage (CPU on visible processes)', [q('phoenix:attribution_coverage', '{{pipeline}}')], { unit: 'percentunit', w: 12, min: 0, max: 1 }),
  ],
});

// --- control loop ---------------------------------------------------------------------------------------

const controlLoop = dashboard({
  uid: 'phoenix-control-loop',
  title: 'Phoenix / Control loop',
  description: 'The observer and the PID actuator of phoenix-control: error, terms, output, decisions, transitions and overrides.',
  panels: [
    stateTimeline('Mode written by the actuator', [q(`phoenix_actuator_mode_info{${JOB.control}} == 1`, '{{mode}} / {{profile}}')], { w: 24, h: 5 }),
    timeseries('Normalised error (active - target) / target', [q(`phoenix_actuator_error_ratio{${JOB.control}}`, 'error')], {
      description: 'absent while the actuator holds (stale KPIs)',
    }),
    timeseries('PID terms', [q(`phoenix_actuator_pid_term{${JOB.control}}`, '{{term}}')]),
    timeseries('PID output, integral and margin', [
      q(`phoenix_actuator_pid_output{${JOB.control}}`, 'output'),
      q(`phoenix_actuator_pid_integral{${JOB.control}}`, 'integral'),
      q(`phoenix_actuator_margin_ratio{${JOB.control}}`, 'margin'),
    ]),
    timeseries('top-k k: written and in force', [q(`phoenix_actuator_topk_k{${JOB.control}}`, 'written'), q(`phoenix_control_topk_k{${JOB.core}}`, 'in force (core)')], { step: true }),
    timeseries('Control file generation: written and applied', [q(`phoenix_actuator_generation{${JOB.control}}`, 'written'), q(`phoenix_control_generation{${JOB.core}}`, 'applied (core)')], { step: true }),
    timeseries('Transitions (last 30 min)', [q(`sum by (from, to) (increase(phoenix_actuator_transitions_total{${JOB.control}}[30m])) or vector(0)`, '{{from}} -> {{to}}')]),
    timeseries('Decisions per minute', [q(`sum by (action) (rate(phoenix_actuator_decisions_total{${JOB.control}}[$__rate_interval])) * 60`, '{{action}}')]),
    timeseries('Overrides (last hour)', [q(`sum by (event) (increase(phoenix_actuator_overrides_total{${JOB.control}}[1h])) or vector(0)`, '{{event}}')]),
    stat('Override active', [q(`max(phoenix_actuator_override_active{${JOB.control}})`)], {
      mappings: [{ type: 'value', options: { 0: { text: 'no', color: 'green' }, 1: { text: 'yes', color: 'orange' } } }],
    }),
    stat('Stability score', [q(`min(phoenix_actuator_stability_score{${JOB.control}})`)], { unit: 'percentunit', decimals: 0 }),
    stat('Dwell remaining', [q(`max(phoenix_actuator_dwell_remaining_seconds{${JOB.control}})`)], { unit: 's' }),
    stat('KPIs stale', [q(`max(phoenix_actuator_kpis_stale{${JOB.control}})`)], {
      mappings: [{ type: 'value', options: { 0: { text: 'fresh', color: 'green' }, 1: { text: 'stale: holding', color: 'red' } } }],
    }),
    timeseries('Observer: KPI age and scrape duration', [
      q(`phoenix_observer_kpi_age_seconds{${JOB.observer}}`, 'KPI age'),
      q(`phoenix_observer_scrape_duration_seconds{${JOB.observer}}`, 'scrape duration'),
    ], { unit: 's' }),
    timeseries('Holds and control-file writes (last hour)', [
      q(`sum by (reason) (increase(phoenix_actuator_holds_total{${JOB.control}}[1h])) or vector(0)`, 'hold: {{reason}}'),
      q(`sum by (result) (increase(phoenix_actuator_control_file_writes_total{${JOB.control}}[1h]))`, 'write: {{result}}'),
    ]),
    timeseries('Control file reloads in the core (last hour)', [q(`sum by (result) (increase(phoenix_control_file_reloads_total{${JOB.core}}[1h]))`, '{{result}}')], { w: 24 }),
  ],
});

// --- pipelines, benchmarks, fleet: one file each ------------------------------------------------------

/**
 * What the dashboard files (pipelines-, benchmarks-, fleet-dashboard.js) build their dashboard with.
 * @typedef {{ dashboard: typeof dashboard, timeseries: typeof timeseries, stat: typeof stat, row: typeof row, q: typeof q, JOB: typeof JOB, SERVICES: string }} Builders
 * @typedef {ReturnType<typeof dashboard>} Dashboard
 */
/** @type {Builders} */
const builders = { dashboard, timeseries, stat, row, q, JOB, SERVICES };
/** @type {Dashboard} */
const pipelines = require('./pipelines-dashboard')(builders);
/** @type {Dashboard} */
const benchmarks = require('./benchmarks-dashboard')(builders);
/** @type {Dashboard} */
const fleet = require('./fleet-dashboard')(builders);

const all = {
  'phoenix-overview.json': overview,
  'phoenix-control-loop.json': controlLoop,
  'phoenix-pipelines.json': pipelines,
  'phoenix-benchmarks.json': benchmarks,
  'phoenix-fleet.json': fleet,
};

/**
 * Strips undefined values (JSON.stringify does) and ends with a newline.
 * @type {(d: object) => string}
 */
const render = (d) => JSON.stringify(d, null, 2) + '\n';

if (require.main === module) {
  const check = process.argv.includes('--check');
  let stale = 0;
  fs.mkdirSync(OUT, { recursive: true });
  for (const [file, d] of Object.entries(all)) {
    const target = path.join(OUT, file);
    const text = render(d);
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
    if (current === text) continue;
    if (check) {
      console.error(`${path.relative(process.cwd(), target)} is out of date: run node ${path.relative(process.cwd(), __filename)}`);
      stale++;
    } else {
      fs.writeFileSync(target, text);
      console.log(`wrote ${path.relative(process.cwd(), target)}`);
    }
  }
  process.exit(stale > 0 ? 1 : 0);
}

module.exports = { dashboards: all, render };
