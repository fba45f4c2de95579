import { parseExposition } from '@phoenix/runtime';
import { MetricsRegistry } from './metrics';

describe('MetricsRegistry', () => {
  test('renders counters and gauges in the text format, labels escaped, in registration order', () => {
    const r = new MetricsRegistry();
    const c = r.counter('demo_requests_total', 'Requests.\nBy outcome.', ['outcome']);
    const g = r.gauge('demo_temperature', 'A gauge.', ['room']);
    r.gauge('demo_collected', 'Set on render.', [], (m) => m.set({}, 7));
    r.counter('demo_never_total', 'No value: not rendered.');
    c.inc({ outcome: 'ok' });
    c.inc({ outcome: 'ok' }, 2);
    c.inc({ outcome: 'fail' });
    c.inc({ outcome: 'ok' }, -5);
    g.set({ room: 'a "quoted"\\room\n' }, 21.5);
    g.set({ room: 'b' }, NaN);
    expect(r.render()).toBe(
      [
        '# HELP demo_requests_total Requests.\\nBy outcome.',
        '# TYPE demo_requests_total counter',
        'demo_requests_total{outcome="ok"} 3',
        'demo_requests_total{outcome="fail"} 1',
        '# HELP demo_temperature A gauge.',
        '# TYPE demo_temperature gauge',
        'demo_temperature{room="a \\"quoted\\"\\\\room\\n"} 21.5',
        'demo_temperature{room="b"} NaN',
        '# HELP demo_collected Set on render.',
        '# TYPE demo_collected gauge',
        'demo_collected 7',
        '',
      ].join('\n'),
    );
    const parsed = parseExposition(r.render(), { strict: true });
    expect(parsed.samples.find((s) => s.name === 'demo_temperature')?.labels.room).toBe('a "quoted"\\room\n');
    expect(c.get({ outcome: 'ok' })).toBe(3);
  });

  test('reset drops every label set; names, labels and duplicates are checked', () => {
    const r = new MetricsRegistry();
    const g = r.gauge('x_gauge', 'x', ['a']);
    g.set({ a: '1' }, 1);
    g.reset();
    expect(r.render()).toBe('');
    expect(() => g.set({ b: '1' }, 1)).toThrow('x_gauge: unknown label b');
    expect(() => r.gauge('x_gauge', 'again')).toThrow('metric x_gauge is registered twice');
    expect(() => r.counter('bad-name', 'x')).toThrow('invalid metric name bad-name');
    expect(() => r.counter('ok_total', 'x', ['bad-label'])).toThrow('ok_total: invalid label name bad-label');
  });
});
