/** Small SVG chart builders for the self-contained HTML report: pure functions returning markup. */

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** "Nice" tick values covering [min, max] (1, 2, 5 x 10^n steps). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0];
  if (max <= min) max = min + 1;
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export function fmtNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(a >= 1e10 ? 0 : 1)}G`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(a < 1 ? 2 : 1);
}

export interface LinePoint {
  x: number;
  y: number;
}

export interface LineSeries {
  name: string;
  color: string;
  points: LinePoint[];
  width?: number;
  dash?: string;
  /** Draw as steps (value holds until the next point). */
  step?: boolean;
}

export interface VerticalMark {
  x: number;
  label: string;
  color: string;
}

export interface Band {
  from: number;
  to: number;
  color: string;
  label: string;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  marks?: VerticalMark[];
  /** A band under the plot (e.g. the mode in force). */
  bands?: Band[];
  width?: number;
  height?: number;
  yMin?: number;
  yMax?: number;
}

/** A line chart with axes, a legend, vertical marks (transitions, steps) and an optional band strip. */
export function lineChart(o: LineChartOptions): string {
  const W = o.width ?? 900;
  const H = o.height ?? 360;
  const m = { left: 70, right: 20, top: 36, bottom: o.bands && o.bands.length > 0 ? 84 : 56 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const all = o.series.flatMap((s) => s.points);
  const xs = [...all.map((p) => p.x), ...(o.marks ?? []).map((v) => v.x), ...(o.bands ?? []).flatMap((b) => [b.from, b.to])];
  const xMin = xs.length > 0 ? Math.min(...xs) : 0;
  const xMax = xs.length > 0 ? Math.max(...xs) : 1;
  const yMin = o.yMin ?? 0;
  const yMax = o.yMax ?? Math.max(1, ...all.map((p) => p.y)) * 1.08;
  const sx = (x: number): number => m.left + ((x - xMin) / (xMax - xMin || 1)) * pw;
  const sy = (y: number): number => m.top + ph - ((y - yMin) / (yMax - yMin || 1)) * ph;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(o.title)}">`);
  parts.push(`<text x="${m.left}" y="20" class="title">${esc(o.title)}</text>`);
  for (const t of niceTicks(yMin, yMax)) {
    const y = sy(t).toFixed(1);
    parts.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${y}" y2="${y}" class="grid"/>`);
    parts.push(`<text x="${m.left - 6}" y="${y}" class="tick" text-anchor="end" dominant-baseline="middle">${esc(fmtNumber(t))}</text>`);
  }
  for (const t of niceTicks(xMin, xMax, 8)) {
    const x = sx(t).toFixed(1);
    parts.push(`<text x="${x}" y="${m.top + ph + 16}" class="tick" text-anchor="middle">${esc(fmtNumber(t))}</text>`);
  }
  parts.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + ph}" class="axis"/>`);
  parts.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${m.top + ph}" y2="${m.top + ph}" class="axis"/>`);
  parts.push(`<text x="${m.left + pw / 2}" y="${m.top + ph + 34}" class="label" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(`<text x="16" y="${m.top + ph / 2}" class="label" text-anchor="middle" transform="rotate(-90 16 ${m.top + ph / 2})">${esc(o.yLabel)}</text>`);
  for (const b of o.bands ?? []) {
    const x1 = sx(b.from);
    const x2 = sx(b.to);
    parts.push(`<rect x="${x1.toFixed(1)}" y="${m.top + ph + 44}" width="${Math.max(0.5, x2 - x1).toFixed(1)}" height="14" fill="${b.color}"><title>${esc(b.label)}</title></rect>`);
  }
  if (o.bands && o.bands.length > 0) {
    parts.push(`<text x="${m.left - 6}" y="${m.top + ph + 55}" class="tick" text-anchor="end">mode</text>`);
  }
  for (const v of o.marks ?? []) {
    const x = sx(v.x).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${m.top}" y2="${m.top + ph}" stroke="${v.color}" stroke-dasharray="3 3" stroke-width="1"/>`);
    parts.push(`<text x="${x}" y="${m.top - 4}" class="mark" fill="${v.color}" text-anchor="middle">${esc(v.label)}</text>`);
  }
  for (const s of o.series) {
    if (s.points.length === 0) continue;
    const pts: string[] = [];
    s.points.forEach((p, i) => {
      if (s.step && i > 0) pts.push(`${sx(p.x).toFixed(1)},${sy(s.points[i - 1].y).toFixed(1)}`);
      pts.push(`${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`);
    });
    parts.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="${s.width ?? 1.5}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} points="${pts.join(' ')}"><title>${esc(s.name)}</title></polyline>`,
    );
  }
  let lx = m.left;
  const ly = H - 8;
  for (const s of o.series) {
    parts.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="${s.width ?? 1.5}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    parts.push(`<text x="${lx + 22}" y="${ly}" class="legend">${esc(s.name)}</text>`);
    lx += 30 + s.name.length * 7;
  }
  parts.push('</svg>');
  return parts.join('');
}

export interface Bar {
  label: string;
  value: number;
  color: string;
  note?: string;
}

/** A horizontal bar chart (e.g. monthly cost before / after). */
export function barChart(o: { title: string; bars: Bar[]; unit: string; width?: number }): string {
  const W = o.width ?? 900;
  const rowH = 34;
  const m = { left: 170, right: 180, top: 36 };
  const H = m.top + o.bars.length * rowH + 16;
  const maxV = Math.max(1e-12, ...o.bars.map((b) => b.value));
  const pw = W - m.left - m.right;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(o.title)}">`];
  parts.push(`<text x="${m.left}" y="20" class="title">${esc(o.title)}</text>`);
  o.bars.forEach((b, i) => {
    const y = m.top + i * rowH;
    const w = Math.max(0, (b.value / maxV) * pw);
    parts.push(`<text x="${m.left - 8}" y="${y + 17}" class="label" text-anchor="end">${esc(b.label)}</text>`);
    parts.push(`<rect x="${m.left}" y="${y + 4}" width="${w.toFixed(1)}" height="22" fill="${b.color}"><title>${esc(`${b.label}: ${b.value}`)}</title></rect>`);
    parts.push(`<text x="${(m.left + w + 8).toFixed(1)}" y="${y + 17}" class="label">${esc(`${fmtNumber(Math.round(b.value * 100) / 100)} ${o.unit}${b.note ? ` (${b.note})` : ''}`)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
