import { familyOf, findSamples, parseExposition, parseLabels, parseSampleValue, sampleValue } from './exposition';

const TEXT = `# HELP phoenix_x_total Things done.
# TYPE phoenix_x_total counter
phoenix_x_total{pipeline="optimized",note="a \\"q\\" \\\\ b\\nc"} 3
phoenix_x_total{pipeline="full_fidelity"} 5 1700000000000
# TYPE phoenix_h histogram
phoenix_h_bucket{le="+Inf"} 2
phoenix_h_sum 1.5
phoenix_h_count 2
phoenix_g NaN
phoenix_i -Inf
`;

describe('parseExposition', () => {
  it('reads samples, escaped label values, TYPE and HELP', () => {
    const e = parseExposition(TEXT);
    expect(e.badLines).toBe(0);
    expect(e.samples).toHaveLength(7);
    expect(e.samples[0]).toEqual({ name: 'phoenix_x_total', labels: { pipeline: 'optimized', note: 'a "q" \\ b\nc' }, value: 3 });
    expect(e.types).toEqual({ phoenix_x_total: 'counter', phoenix_h: 'histogram' });
    expect(e.help).toEqual({ phoenix_x_total: 'Things done.' });
    expect(sampleValue(e, 'phoenix_x_total', { pipeline: 'full_fidelity' })).toBe(5);
    expect(sampleValue(e, 'phoenix_h_bucket', { le: '+Inf' })).toBe(2);
    expect(Number.isNaN(sampleValue(e, 'phoenix_g'))).toBe(true);
    expect(sampleValue(e, 'phoenix_i')).toBe(-Infinity);
    expect(findSamples(e, 'phoenix_x_total')).toHaveLength(2);
    expect(() => sampleValue(e, 'phoenix_x_total')).toThrow('expected exactly one sample phoenix_x_total{}, found 2');
  });

  it('counts lines it cannot read, or throws on them when strict', () => {
    const text = 'ok 1\nbad{x=1} 2\nworse\nnum abc\n';
    const e = parseExposition(text);
    expect(e.samples).toEqual([{ name: 'ok', labels: {}, value: 1 }]);
    expect(e.badLines).toBe(3);
    expect(() => parseExposition(text, { strict: true })).toThrow('bad label set in line: bad{x=1} 2');
  });

  it('keeps only wanted names', () => {
    expect(parseExposition(TEXT, (n) => n === 'phoenix_h_sum').samples).toEqual([{ name: 'phoenix_h_sum', labels: {}, value: 1.5 }]);
    expect(parseExposition(TEXT, { wanted: (n) => n.startsWith('phoenix_g') }).samples).toHaveLength(1);
  });

  it('familyOf maps sample names to their TYPE family', () => {
    const { types } = parseExposition(TEXT);
    expect(familyOf('phoenix_h_bucket', types)).toBe('phoenix_h');
    expect(familyOf('phoenix_x_total', types)).toBe('phoenix_x_total');
    expect(familyOf('phoenix_g', types)).toBe('phoenix_g');
  });

  it('parseSampleValue reads the special values of the text format and the HTTP API', () => {
    expect(['+Inf', 'Inf', '-Inf', 'inf', '-infinity', '1.5e3', '-0.25'].map(parseSampleValue)).toEqual([Infinity, Infinity, -Infinity, Infinity, -Infinity, 1500, -0.25]);
    for (const nan of ['NaN', 'Nan', 'nan']) expect(parseSampleValue(nan)).toBeNaN();
    // prom-client writes NaN as `Nan`: the strict parser reads it like Prometheus does
    expect(parseExposition('nodejs_eventloop_lag_mean_seconds Nan\nx notanumber\n').samples.map((x) => x.name)).toEqual(['nodejs_eventloop_lag_mean_seconds']);
    expect(parseExposition('a Nan\n', { strict: true }).samples[0].value).toBeNaN();
  });

  it('parseLabels refuses a label set with junk', () => {
    expect(parseLabels('a="1",b="2"')).toEqual({ a: '1', b: '2' });
    expect(parseLabels('a="1" junk')).toBeUndefined();
  });
});
