import { parseExposition, sampleValue } from '@phoenix/runtime';
import { Registry } from 'prom-client';
import { CoreTelemetry } from './coreTelemetry';

describe('CoreTelemetry', () => {
  test('phoenix_pipeline_errors_total follows the stores\' cumulative counts, every place shown from zero', async () => {
    const registry = new Registry();
    const t = new CoreTelemetry(registry, { processMetrics: false });
    const errors = async (pipeline: string, stage: string) => sampleValue(parseExposition(await registry.metrics()), 'phoenix_pipeline_errors_total', { pipeline, stage });
    t.refreshPipelineErrors([
      { pipeline: 'optimized', stage: 'route', errors: 3 },
      { pipeline: 'optimized', stage: 'expire', errors: 0 },
    ]);
    expect(await errors('optimized', 'route')).toBe(3);
    expect(await errors('optimized', 'expire')).toBe(0);
    t.refreshPipelineErrors([
      { pipeline: 'optimized', stage: 'route', errors: 5 },
      { pipeline: 'optimized', stage: 'expire', errors: 1 },
    ]);
    expect(await errors('optimized', 'route')).toBe(5);
    expect(await errors('optimized', 'expire')).toBe(1);
  });
});
