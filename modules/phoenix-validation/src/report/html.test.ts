import { sample } from '../../test/samples';
import type { BenchmarkRun } from '@phoenix/contracts';
import { renderReport } from './html';
import { barChart, esc, lineChart, niceTicks } from './svg';

const run: BenchmarkRun = {
  id: '20260101T000000Z-abcd1234',
  scenario: 'cardinality_spike',
  time_scale: 0.1,
  state: 'failed',
  created_at: '2026-01-01T00:00:00.000Z',
  reason: 'phoenix-generators unreachable at http://x <script>alert(1)</script>',
  lifecycle: [],
  links: { self: '/a', result: '/a/result', report: '/a/report' },
};

describe('HTML report', () => {
  it('a failed run: the reason escaped, the samples collected so far charted, nothing external', () => {
    const html = renderReport({
      run,
      samples: [
        sample(0, { series: { full_fidelity: 100 }, active_series: 100, mode: 'conservative', target_series: 150 }),
        sample(10, { series: { full_fidelity: 400 }, active_series: 120, mode: 'aggressive', target_series: 150 }),
      ],
      transitions: [{ at: '2026-01-01T00:00:10.000Z', offset_seconds: 10, from_mode: 'conservative', to_mode: 'aggressive', from_profile: 'balanced', to_profile: 'balanced', k: 9, reason: 'a <b>reason</b>' }],
      generatedAt: '2026-01-01T00:01:00.000Z',
    });
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script');
    expect(html).toContain('a &lt;b&gt;reason&lt;/b&gt;');
    expect(html).toContain('<svg');
    expect(html).toContain('→ aggressive');
    expect(html).toContain('FAILED');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('no sample at all: says so', () => {
    expect(renderReport({ run, samples: [], transitions: [], generatedAt: 'x' })).toContain('No sample was collected.');
  });
});

describe('SVG charts', () => {
  it('nice ticks', () => {
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 2400, 5)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('a line chart plots every series, the marks and the legend; a bar chart scales to the largest bar', () => {
    const svg = lineChart({
      title: 't <1>',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ name: 'a', color: '#000', points: [{ x: 0, y: 0 }, { x: 10, y: 10 }] }, { name: 'budget', color: '#f00', points: [{ x: 0, y: 5 }, { x: 10, y: 5 }], dash: '6 4', step: true }],
      marks: [{ x: 5, label: 'step up', color: '#00f' }],
    });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).toContain('step up');
    expect(svg).toContain('t &lt;1&gt;');
    const bars = barChart({ title: 'cost', unit: 'USD', bars: [{ label: 'before', value: 100, color: '#000' }, { label: 'after', value: 25, color: '#0f0' }] });
    const widths = [...bars.matchAll(/<rect x="\d+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths[1] / widths[0]).toBeCloseTo(0.25, 3);
    expect(esc(`"'&`)).toBe('&quot;&#39;&amp;');
  });
});
