'use strict';
/**
 * A figure of the benchmark table: median/min/max over runs, the target and whether it is met.
 * A figure with an error (a run that failed, a load with failed requests) is never met.
 */
const { stats } = require('./stats');

/** @typedef {{ op: '>=' | '<=', value: number }} Target */
/** @typedef {ReturnType<typeof figure>} Figure */

const TARGET_TEXT = { '>=': '≥', '<=': '≤' };
/** @type {Record<string, string>} */
const UNIT_TEXT = { 'points/s': ' points/s', ms: ' ms', 'bytes/series': ' B/series', x: '×' };

/**
 * @param {Target} target
 * @param {string} unit
 * @returns {string}
 */
function targetText(target, unit) {
  const u = UNIT_TEXT[unit] ?? '';
  return `${TARGET_TEXT[target.op]} ${target.value.toLocaleString('en-US')}${u}`;
}

/**
 * @param {object} f
 * @param {string} f.id          stable key (e.g. "ingest.http")
 * @param {string} f.name        what is measured (table row)
 * @param {string} f.unit        unit of the values
 * @param {number[]} f.values    one value per run
 * @param {Target} [f.target]
 * @param {string[]} [f.errors]  failed runs (the figure fails)
 * @param {object} [f.details]   anything else worth keeping (per-run reports, percentiles)
 */
function figure({ id, name, unit, values, target, errors = [], details }) {
  const s = stats(values);
  /** @type {boolean | null} */
  let met = null;
  if (target) {
    const ok = target.op === '>=' ? s.median >= target.value : s.median <= target.value;
    met = errors.length === 0 && s.runs > 0 && ok;
  }
  return {
    id,
    name,
    unit,
    median: s.median,
    min: s.min,
    max: s.max,
    runs: s.runs,
    values: s.values,
    target: target ? { op: target.op, value: target.value, text: targetText(target, unit) } : null,
    met,
    errors,
    details,
  };
}

/**
 * A number for the table, in the figure's unit.
 * @param {number | null | undefined} v
 * @param {string} unit
 * @returns {string}
 */
function fmt(v, unit) {
  if (v === undefined || v === null || Number.isNaN(v)) return '—';
  if (unit === 'points/s') return `${Math.round(v).toLocaleString('en-US')} points/s`;
  if (unit === 'ratio') return v.toFixed(3);
  if (unit === 'x') return `${v.toFixed(2)}×`;
  if (unit === 'ms') return `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
  if (unit === 'bytes/series') return `${Math.round(v).toLocaleString('en-US')} B/series`;
  return String(Math.round(v * 100) / 100);
}

/**
 * The markdown table of figures (figure | median | min | max | target | met).
 * @param {Figure[]} figures
 * @returns {string}
 */
function markdownTable(figures) {
  const rows = ['| figure | median | min | max | target | met |', '|---|---|---|---|---|---|'];
  for (const f of figures) {
    const met =
      f.errors.length > 0
        ? `**FAILED**: ${f.errors.join('; ').replace(/\|/g, '/').replace(/\n/g, ' ').slice(0, 300)}`
        : f.met === null
          ? '—'
          : f.met
            ? 'yes'
            : '**no**';
    rows.push(
      `| ${f.name} (${f.runs} run${f.runs === 1 ? '' : 's'}) | ${fmt(f.median, f.unit)} | ${fmt(f.min, f.unit)} | ${fmt(f.max, f.unit)} | ${f.target ? f.target.text : '—'} | ${met} |`,
    );
  }
  return rows.join('\n');
}

module.exports = { figure, fmt, markdownTable };
