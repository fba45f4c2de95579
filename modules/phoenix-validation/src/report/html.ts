import type { BenchmarkControlTransition, BenchmarkModeName, BenchmarkResult, BenchmarkRun, BenchmarkSample, ScenarioDefinition } from '@phoenix/contracts';
import { preservationScore } from '../analyzers/ratios';
import { barChart, esc, lineChart, type Band, type LineSeries, type VerticalMark } from './svg';

export interface ReportInput {
  run: BenchmarkRun;
  scenario?: ScenarioDefinition;
  /** Absent for a run that failed or was cancelled (the report then shows what was collected). */
  result?: BenchmarkResult;
  samples: readonly BenchmarkSample[];
  transitions: readonly BenchmarkControlTransition[];
  generatedAt: string;
}

const COLORS = {
  full_fidelity: '#7f8c8d',
  optimized: '#2e86de',
  experimental_topk: '#e67e22',
  active: '#27ae60',
  budget: '#c0392b',
};

const MODE_COLORS: Record<BenchmarkModeName, string> = { conservative: '#a3d9a5', balanced: '#8ec5f5', aggressive: '#f5b38e' };

function num(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  return Number(v.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits });
}

function pct(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : `${(v * 100).toFixed(1)}%`;
}

function money(v: number, currency: string): string {
  return `${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Mode bands from the samples (each mode lasts until the next sample that reports another). */
function modeBands(samples: readonly BenchmarkSample[]): Band[] {
  const bands: Band[] = [];
  for (const s of samples) {
    if (!s.mode) continue;
    const label = s.mode === 'balanced' && s.profile ? `balanced/${s.profile}` : s.mode;
    const lastBand = bands[bands.length - 1];
    if (lastBand && lastBand.label === label) lastBand.to = s.offset_seconds;
    else {
      if (lastBand) lastBand.to = s.offset_seconds;
      bands.push({ from: s.offset_seconds, to: s.offset_seconds, color: MODE_COLORS[s.mode], label });
    }
  }
  return bands;
}

function seriesChart(input: ReportInput): string {
  const pick = (f: (s: BenchmarkSample) => number | undefined): { x: number; y: number }[] =>
    input.samples.flatMap((s) => {
      const y = f(s);
      return y === undefined || !Number.isFinite(y) ? [] : [{ x: s.offset_seconds, y }];
    });
  const budget = input.result?.budget_series;
  const series: LineSeries[] = [
    { name: 'full_fidelity', color: COLORS.full_fidelity, points: pick((s) => s.series.full_fidelity) },
    { name: 'optimized', color: COLORS.optimized, points: pick((s) => s.series.optimized) },
    { name: 'experimental_topk', color: COLORS.experimental_topk, points: pick((s) => s.series.experimental_topk) },
    { name: 'active output (:8892)', color: COLORS.active, points: pick((s) => s.active_series), width: 3 },
    { name: 'budget', color: COLORS.budget, points: pick((s) => s.target_series ?? budget), dash: '6 4', step: true },
  ];
  const marks: VerticalMark[] = input.transitions.map((t) => ({
    x: t.offset_seconds,
    label: `→ ${t.to_mode === 'balanced' ? `balanced/${t.to_profile}` : t.to_mode}`,
    color: '#555',
  }));
  for (const st of input.result?.control.steps ?? []) marks.push({ x: st.at_seconds, label: `step ${st.kind}`, color: '#8e44ad' });
  return lineChart({
    title: 'Series per pipeline over time, with the budget, load steps and mode transitions',
    xLabel: 'scenario seconds',
    yLabel: 'series',
    series,
    marks,
    bands: modeBands(input.samples),
  });
}

function costChart(r: BenchmarkResult): string {
  const c = r.cost;
  return barChart({
    title: `Monthly cost before / after Phoenix (${c.environment} prices: ${c.price_per_series_month} ${c.currency} per series-month, ${c.price_per_million_samples} ${c.currency} per million samples, scrape every ${c.scrape_interval_seconds} s)`,
    unit: c.currency,
    bars: [
      { label: 'before (full fidelity)', value: c.before.total, color: COLORS.full_fidelity, note: `${num(c.before.series, 0)} series` },
      { label: 'after (active output)', value: c.after.total, color: COLORS.active, note: `${num(c.after.series, 0)} series` },
      { label: 'saved', value: Math.max(0, c.saved.total), color: '#16a085', note: pct(c.saved_ratio) },
    ],
  });
}

function recallChart(r: BenchmarkResult): string {
  const pts = (hits: (p: (typeof r.probes)[number]) => number): { x: number; y: number }[] =>
    r.probes.filter((p) => p.eligible > 0).map((p) => ({ x: p.offset_seconds, y: hits(p) / p.eligible }));
  return lineChart({
    title: `Heavy-hitter recall per probe (true top-${r.heavy_hitter_recall.top_n} per host from the generator's truth)`,
    xLabel: 'scenario seconds',
    yLabel: 'recall',
    yMin: 0,
    yMax: 1.05,
    height: 260,
    series: [
      { name: 'active output', color: COLORS.active, points: pts((p) => p.active_hits), width: 2.5 },
      { name: 'experimental_topk', color: COLORS.experimental_topk, points: pts((p) => p.topk_hits), dash: '4 3' },
    ],
  });
}

function scoresTable(r: BenchmarkResult): string {
  const pipes = ['full_fidelity', 'optimized', 'experimental_topk', 'active'] as const;
  const rows = pipes.map((p) => [
    esc(p === 'active' ? 'active output' : p),
    num(r.series[p].mean, 0),
    num(r.series[p].p95, 0),
    num(r.series[p].max, 0),
    p === 'full_fidelity' ? '—' : pct(r.cost_reduction[p].mean),
    num(r.totals_preservation[p].worst, 9),
    num(r.attribution_coverage[p].mean, 4),
  ]);
  return table(['output', 'mean series', 'p95', 'max', 'cost reduction', 'totals preservation (worst)', 'attribution coverage (mean)'], rows);
}

function controlTable(r: BenchmarkResult): string {
  const c = r.control;
  const rows: string[][] = [
    ['modes', esc(`${c.initial_mode ?? 'n/a'} → peak ${c.peak_mode ?? 'n/a'} → final ${c.final_mode ?? 'n/a'}`)],
    ['transitions', `${c.transitions_total} (flaps within ${num(c.flap_window_seconds, 0)} s: ${c.flaps})`],
    ['active output at the end', esc(`${num(c.final_active_series, 0)} series, ${c.ended_within_budget === null ? 'n/a' : c.ended_within_budget ? 'within' : 'over'} the budget ${r.budget_series}`)],
    ['largest overshoot over the budget', pct(c.overshoot_ratio)],
    ['time over the budget', `${num(c.time_over_budget_seconds, 1)} s`],
    [
      'settling after each load step',
      c.steps.length === 0
        ? 'no load step'
        : esc(c.steps.map((s) => `${s.kind} at ${num(s.at_seconds, 0)} s: ${s.settled_after_seconds === null ? 'never settled' : `${num(s.settled_after_seconds, 1)} s`}`).join('; ')),
    ],
    ['heavy-hitter recall (active / experimental_topk)', `${pct(r.heavy_hitter_recall.active.recall)} / ${pct(r.heavy_hitter_recall.experimental_topk.recall)} (lowest probe ${pct(r.heavy_hitter_recall.active.min)}; ${r.heavy_hitter_recall.active.eligible} heavy hitters scored in ${r.heavy_hitter_recall.active.probes} probes)`],
    ['freshness (export → visible on :8888)', `p50 ${num(r.freshness.p50_seconds, 3)} s, p99 ${num(r.freshness.p99_seconds, 3)} s (${r.freshness.probes} probes, ${r.freshness.timeouts} timeouts)`],
    ['core CPU / peak memory', `${num(r.resources.core_cpu_seconds, 2)} CPU s / ${num(r.resources.core_peak_memory_bytes === null ? null : r.resources.core_peak_memory_bytes / 1048576, 1)} MiB${r.resources.core_restarts > 0 ? ` (${r.resources.core_restarts} restart(s))` : ''}`],
  ];
  return table(['control loop', ''], rows.map(([a, b]) => [esc(a), b]));
}

function transitionsTable(ts: readonly BenchmarkControlTransition[]): string {
  if (ts.length === 0) return '<p>No transition.</p>';
  return table(
    ['scenario s', 'from', 'to', 'k', 'reason (actuator)'],
    ts.map((t) => [
      num(t.offset_seconds, 1),
      esc(`${t.from_mode}/${t.from_profile}`),
      esc(`${t.to_mode}/${t.to_profile}`),
      t.k === undefined ? '' : String(t.k),
      esc(t.reason ?? ''),
    ]),
  );
}

const CSS = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:960px;color:#222}
h1{font-size:1.5em;margin-bottom:4px}h2{font-size:1.15em;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:.9em}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f6f7}.badge{display:inline-block;padding:2px 10px;border-radius:10px;color:#fff;font-weight:600}
.pass{background:#27ae60}.fail{background:#c0392b}.other{background:#7f8c8d}.meta{color:#555;font-size:.9em}
svg{max-width:100%;height:auto;background:#fff}svg .title{font-size:13px;font-weight:600;fill:#222}svg .tick{font-size:11px;fill:#555}
svg .label{font-size:12px;fill:#333}svg .legend{font-size:11px;fill:#333}svg .mark{font-size:10px}svg .grid{stroke:#eee}svg .axis{stroke:#999}
.warn{color:#8a6d3b;background:#fcf8e3;padding:6px 10px;border:1px solid #faebcc}
`;

/** The self-contained HTML report of a run: inline CSS and SVG, no script, no external resource. */
export function renderReport(input: ReportInput): string {
  const { run, result } = input;
  const verdict = result ? (result.passed ? '<span class="badge pass">PASSED</span>' : '<span class="badge fail">FAILED SLOs</span>') : `<span class="badge ${run.state === 'failed' ? 'fail' : 'other'}">${esc(run.state.toUpperCase())}</span>`;
  const parts: string[] = [];
  parts.push('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">');
  parts.push(`<title>${esc(`Phoenix benchmark ${run.scenario} ${run.id}`)}</title><style>${CSS}</style></head><body>`);
  parts.push(`<h1>Phoenix benchmark: ${esc(run.scenario)} ${verdict}</h1>`);
  const meta = [
    `run ${esc(run.id)}`,
    `state ${esc(run.state)}`,
    `time scale ${run.time_scale}`,
    run.started_at ? `started ${esc(run.started_at)}` : '',
    run.finished_at ? `finished ${esc(run.finished_at)}` : '',
  ].filter(Boolean);
  parts.push(`<p class="meta">${meta.join(' · ')}</p>`);
  if (input.scenario) parts.push(`<p>${esc(input.scenario.description)}</p>`);
  if (run.reason) parts.push(`<p class="warn">${esc(run.reason)}</p>`);
  if (result) {
    const f = result.fleet;
    parts.push(
      `<p class="meta">environment ${esc(result.environment)} · profile ${esc(result.profile)} · budget ${result.budget_series} series · fleet ${f.hosts} hosts (profile ${f.profile_hosts} × ${num(f.host_scale, 3)}), up to ${f.peak_processes_per_host} processes per host, export every ${num(f.export_interval_seconds, 3)} s · ${num(result.scenario_seconds, 0)} scenario s in ${num(result.wall_seconds, 1)} wall s · KPIs from ${esc(result.data_source.kind)} ${esc(result.data_source.url)}</p>`,
    );
    parts.push('<h2>SLOs</h2>');
    parts.push(
      table(
        ['SLO', 'expected', 'measured', ''],
        result.slo.checks.map((c) => [esc(c.name), esc(c.expected), esc(c.actual), c.passed ? '<span class="badge pass">ok</span>' : '<span class="badge fail">failed</span>']),
      ),
    );
    parts.push('<h2>Scores</h2>');
    parts.push(scoresTable(result));
    parts.push(controlTable(result));
    const c = result.cost;
    parts.push(
      `<p>Monthly cost: <b>${money(c.before.total, c.currency)}</b> before, <b>${money(c.after.total, c.currency)}</b> after, <b>${money(c.saved.total, c.currency)}</b> saved (${pct(c.saved_ratio)}); totals preservation score ${num(preservationScore(result.totals_preservation.active.worst), 9)}.</p>`,
    );
  }
  parts.push('<h2>Series over time</h2>');
  parts.push(input.samples.length > 0 ? seriesChart(input) : '<p>No sample was collected.</p>');
  if (result) {
    parts.push('<h2>Cost before / after</h2>');
    parts.push(costChart(result));
    if (result.probes.some((p) => p.eligible > 0)) {
      parts.push('<h2>Heavy hitters</h2>');
      parts.push(recallChart(result));
      const missed = result.heavy_hitter_recall.active.missed;
      if (missed.length > 0) {
        parts.push(
          table(
            ['scenario s', 'host', 'pid', 'executable', 'true rank', 'CPU rate'],
            missed.map((m) => [num(m.offset_seconds, 1), esc(m.host_name), String(m.pid), esc(m.executable_name), String(m.rank), num(m.cpu_rate, 3)]),
          ),
        );
      }
    }
  }
  parts.push('<h2>Control transitions</h2>');
  parts.push(transitionsTable(input.transitions));
  if (result && result.warnings.length > 0) {
    parts.push('<h2>Warnings</h2><ul>');
    for (const w of result.warnings) parts.push(`<li>${esc(w)}</li>`);
    parts.push('</ul>');
  }
  parts.push(`<p class="meta">Generated by phoenix-validation at ${esc(input.generatedAt)}. Scenario seconds = wall seconds / time scale.</p>`);
  parts.push('</body></html>');
  return parts.join('\n');
}
